"""Curves the rules share: the training loss, test outputs, smoothing."""
from __future__ import annotations

import math
from statistics import median
from typing import List, Optional, Tuple

Curve = List[Tuple[int, float]]


def train_loss(log, run: Optional[int] = None) -> Curve:
    """(iteration, loss) of every display: Caffe's smoothed total loss, finite or not."""
    rows = [r for r in log.train if run is None or r.run == run]
    out = []
    for row in rows:
        value = row.loss
        if value is None:
            losses = [row.outputs[n] for n in row.loss_outputs if n in row.outputs]
            value = sum(losses) if losses else None
        if value is not None:
            out.append((row.iteration, value))
    return out


def last_run_with_rows(log) -> Optional[int]:
    return log.train[-1].run if log.train else None


def finite(curve: Curve) -> Curve:
    return [(i, v) for i, v in curve if math.isfinite(v)]


def smooth(curve: Curve, window: int) -> Curve:
    """Running median (robust to the spikes of small batches)."""
    if window <= 1:
        return list(curve)
    out = []
    for k in range(len(curve)):
        lo = max(0, k - window + 1)
        out.append((curve[k][0], median(v for _, v in curve[lo:k + 1])))
    return out


def window_for(curve: Curve) -> int:
    return max(1, min(25, len(curve) // 10))


def test_series(log, name_part: str) -> List[Tuple[str, Curve]]:
    """Test outputs of net #0 whose name contains ``name_part`` (case-insensitive)."""
    rows = log.test.get(0, [])
    names = [n for n in log.test_names(0) if name_part in n.lower()]
    return [(n, [(r.iteration, r.outputs[n]) for r in rows if n in r.outputs]) for n in names]


def flat_start(smoothed: Curve, band: float) -> int:
    """Index from which every smoothed value stays within ``band`` (relative) of the last."""
    final = smoothed[-1][1]
    k = len(smoothed) - 1
    while k > 0 and abs(smoothed[k - 1][1] - final) <= band * abs(final):
        k -= 1
    return k


def run_is_fresh(log, run) -> bool:
    """The run started from iteration 0 (not resumed from a snapshot)."""
    info = log.runs[run] if run is not None and run < len(log.runs) else None
    return info is not None and info.resumed_from is None and not info.first_iteration


def last_run_curve(log, minimum: int = 10):
    """(run, finite loss curve, smoothed curve) of the last run with rows, or None when
    it has fewer than ``minimum`` displays (too few to judge)."""
    run = last_run_with_rows(log)
    curve = finite(train_loss(log, run))
    if len(curve) < minimum:
        return None
    return run, curve, smooth(curve, window_for(curve))
