"""Diagnosis of a training log: each rule is a plain module with ``check(log) -> [Finding]``.

Adding a rule = a module with ``CODE`` and ``check`` plus one line in RULES.
Rules only read the TrainingLog; they never raise on odd logs (few rows, no test
net, NaN everywhere): a rule that cannot judge says nothing.
"""
from __future__ import annotations

import importlib
from typing import List

from .finding import Finding

RULES = (
    "prototxt_tools.logs.rules.crash",
    "prototxt_tools.logs.rules.loss_floor",
    "prototxt_tools.logs.rules.nan",
    "prototxt_tools.logs.rules.divergence",
    "prototxt_tools.logs.rules.stalled",
    "prototxt_tools.logs.rules.plateau",
    "prototxt_tools.logs.rules.flat_accuracy",
    "prototxt_tools.logs.rules.overfitting",
)


def diagnose(log) -> List[Finding]:
    """Every rule's findings, in RULES order."""
    findings: List[Finding] = []
    for name in RULES:
        findings.extend(importlib.import_module(name).check(log))
    return findings


__all__ = ["Finding", "RULES", "diagnose"]
