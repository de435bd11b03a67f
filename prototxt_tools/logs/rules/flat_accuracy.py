"""Training loss falls while test accuracy does not move.

The net learns something the test set does not reward (unshuffled data, wrong labels,
a rate that only fits noise).

## What it does
Reports each test accuracy output that moves less than 0.01 over three or more
tests while the smoothed training loss falls by 10% or more.

## Why it matters
The falling training loss makes the run look healthy; the flat accuracy shows the
model does not generalise, usually because of the data, not the net.

## Example
```
Iteration 1000, loss = 0.8
Test net output #0: accuracy = 0.101
```

## Use instead
Shuffle the training data (``shuffle: true`` or when building the LMDB), check that
train and test labels use one mapping, try a lower learning rate.
"""
from __future__ import annotations

from .diagnosis import diagnosis
from .series import finite, last_run_curve, test_series

CODE = "PTX607"
NAME = "flat-accuracy"
SEVERITY = "warning"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint
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
        findings.append(diagnosis(log, CODE, NAME, "warning",
                                f"training loss fell {start:.4g} -> {end:.4g} but test '{name}' "
                                f"stayed at {values[-1]:.4g} over {len(values)} tests",
                                points[-1][0], None,
                                ["shuffle the training data (ImageData shuffle: true, or shuffle "
                                 "before building the LMDB)",
                                 "check that train and test labels use the same mapping",
                                 "try a lower learning rate"]))
    return findings
