"""What a Caffe training log says, as plain data: rows of outputs, runs, the fatal line.

Kept free of parsing and plotting so the CSV writer, the plots, ``--json`` and the
diagnosis rules all read the same facts.  Values are floats; NaN and inf are kept
(Caffe's parse_log.py drops them, which hides exactly the iterations users look for).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional

# How a run ended.
COMPLETED, CRASHED, KILLED, INCOMPLETE = "completed", "crashed", "killed", "incomplete"
SMOOTH_POLICIES = ("poly", "inv", "exp", "sigmoid")


@dataclass
class Row:
    """One display (train) or one test pass (test): the outputs Caffe printed."""

    iteration: int
    seconds: Optional[float]            # since the first "Solving" line, like parse_log.py
    lr: Optional[float]                 # learning rate in force at this iteration
    outputs: Dict[str, float]           # output name -> value, in Caffe's output order
    line: int                           # 1-based line of the first output
    run: int = 0
    net: int = 0                        # test net index (#k); 0 for training rows
    loss: Optional[float] = None        # smoothed loss of "Iteration N, loss = x" (train)
    loss_outputs: List[str] = field(default_factory=list)  # outputs printed "(* w = x loss)"


@dataclass
class Run:
    """One ``caffe train`` process found in the file (logs are often appended to)."""

    index: int
    line: int
    solver: Dict[str, str] = field(default_factory=dict)   # top-level solver fields, raw text
    net_name: Optional[str] = None
    weights: Optional[str] = None       # "Finetuning from ..."
    resumed_from: Optional[str] = None  # "Resuming from ..." / "Restoring previous solver status"
    lr_policy: Optional[str] = None
    first_iteration: Optional[int] = None
    last_iteration: Optional[int] = None
    end: str = INCOMPLETE
    fatal: Optional[str] = None         # Caffe's fatal line, verbatim
    fatal_line: Optional[int] = None
    iter_per_second: List[float] = field(default_factory=list)  # "(x iter/s, ...)" when printed

    @property
    def iter_size(self) -> int:
        try:
            return int(self.solver.get("iter_size", "1"))
        except ValueError:
            return 1


@dataclass
class TrainingLog:
    path: str
    train: List[Row] = field(default_factory=list)
    test: Dict[int, List[Row]] = field(default_factory=dict)
    runs: List[Run] = field(default_factory=list)
    lines: int = 0

    @property
    def fatal(self) -> Optional[str]:
        """The fatal line of the last run that has one."""
        for run in reversed(self.runs):
            if run.fatal:
                return run.fatal
        return None

    def train_names(self) -> List[str]:
        return output_names(self.train)

    def test_names(self, net: int = 0) -> List[str]:
        return output_names(self.test.get(net, []))

    def loss_names(self, rows: List[Row]) -> List[str]:
        """Outputs that are losses: printed with a loss weight, or named like one."""
        names = output_names(rows)
        weighted = {n for row in rows for n in row.loss_outputs}
        return [n for n in names if n in weighted or "loss" in n.lower()]

    def series(self, rows: List[Row], name: str):
        """(iterations, values) of one output over ``rows`` (rows lacking it skipped)."""
        points = [(r.iteration, r.outputs[name]) for r in rows if name in r.outputs]
        return [p[0] for p in points], [p[1] for p in points]

    def lr_changes(self, threshold: float = 0.2) -> List[tuple]:
        """(iteration, old lr, new lr) where the rate jumped by ``threshold`` or more.
        Smooth schedules (poly, inv, exp, sigmoid) move every display: not "changes"."""
        out, previous, run = [], None, None
        smooth = {r.index for r in self.runs if r.lr_policy in SMOOTH_POLICIES}
        for row in self.train:
            if row.lr is None or not math.isfinite(row.lr) or row.run in smooth:
                continue
            if run == row.run and previous is not None and _jump(previous, row.lr, threshold):
                out.append((row.iteration, previous, row.lr))
            previous, run = row.lr, row.run
        return out


def _jump(old: float, new: float, threshold: float) -> bool:
    if old == new:
        return False
    if old == 0 or new == 0:
        return True
    return abs(new / old - 1.0) >= threshold


def output_names(rows: List[Row]) -> List[str]:
    """Every output name printed in ``rows``, first appearance first."""
    seen: Dict[str, None] = {}
    for row in rows:
        for name in row.outputs:
            seen.setdefault(name, None)
    return list(seen)
