"""Training loss falls while test accuracy does not move: the net learns something the
test set does not reward (unshuffled data, wrong labels, a rate that only fits noise)."""
from __future__ import annotations

from .finding import Finding
from .series import finite, last_run_curve, test_series

CODE = "flat-accuracy"
MIN_DROP = 0.10     # training loss fell by at least 10%
FLAT = 0.01         # accuracy moved less than this (absolute)


def check(log) -> list:
    found = last_run_curve(log)
    if found is None:
        return []
    _run, curve, smoothed = found
    start, end = smoothed[0][1], smoothed[-1][1]
    if start <= 0 or (start - end) / start < MIN_DROP:
        return []
    findings = []
    for name, points in test_series(log, "acc"):
        values = [v for _, v in finite(points)]
        if len(values) < 3 or max(values) - min(values) >= FLAT:
            continue
        findings.append(Finding(CODE, "warning",
                                f"training loss fell {start:.4g} -> {end:.4g} but test '{name}' "
                                f"stayed at {values[-1]:.4g} over {len(values)} tests",
                                points[-1][0], None,
                                ["shuffle the training data (ImageData shuffle: true, or shuffle "
                                 "before building the LMDB)",
                                 "check that train and test labels use the same mapping",
                                 "try a lower learning rate"]))
    return findings
