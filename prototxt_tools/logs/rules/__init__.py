"""Diagnosis of a training log: each rule is a plain module with ``check(log) -> [Diagnosis]``.

Log rules are lint rules like the others (``CODE`` PTX6xx, ``NAME``, ``SEVERITY``,
``OPTIONS``, a documented docstring) with ``TARGET = "log"``: ``ptx rule`` explains
them, every output format prints them, ``rules.RULES`` lists them after this registry.
Adding a rule = a module plus one name in RULES.  Rules only read the TrainingLog;
they never raise on odd logs (few rows, no test net, NaN everywhere): a rule that
cannot judge says nothing.
"""
from __future__ import annotations

from typing import List

from ...registry import Registry
from .diagnosis import Diagnosis

RULES = Registry("log rule", [f"{__name__}.{name}" for name in (
    "crash", "loss_floor", "nan", "divergence", "stalled", "plateau", "flat_accuracy",
    "overfitting")])


def diagnose(log) -> List[Diagnosis]:
    """Every rule's findings, in RULES order."""
    found: List[Diagnosis] = []
    for rule in RULES:
        found.extend(rule.check(log))
    return found


__all__ = ["Diagnosis", "RULES", "diagnose"]
