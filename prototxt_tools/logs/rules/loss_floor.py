"""A loss stuck at 87.3365 (or a multiple): the softmax's probability underflowed to zero.

## What it does
Reports a training output that stays at a multiple of 87.3365 = -ln(FLT_MIN) for
two or more displays.  SoftmaxWithLoss clamps log(p) at FLT_MIN, so this value means
the true class's probability is 0: the logits overflowed.

## Why it matters
The loss looks finite and constant, so the run seems stable while the net has
diverged; every further iteration is wasted.

## Example
```
Iteration 200, loss = 87.3365
Iteration 220, loss = 87.3365
```

## Use instead
Lower ``base_lr``; check that every label is in ``[0, num_output)`` (or is
``ignore_label``), and the input scale, mean and BatchNorm statistics.
"""
from __future__ import annotations

import math

from .diagnosis import diagnosis

CODE = "PTX602"
NAME = "loss-floor"
SEVERITY = "error"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint
FLOOR = -math.log(1.17549435e-38)   # 87.33654475...

ADVICE = [
    "the softmax input overflowed (inf/NaN logits): the net diverged or its input is absurd",
    "lower base_lr (Caffe's tutorial: if you see very large, NaN or inf losses, drop base_lr)",
    "check labels: every label must be in [0, num_output) or equal to ignore_label "
    "(release builds do not check)",
    "check the input scale/mean and BatchNorm statistics (use_global_stats) of a fine-tuned net",
]


def _at_floor(value: float) -> bool:
    if not math.isfinite(value) or value < FLOOR * 0.99:
        return False
    multiple = value / FLOOR
    return abs(multiple - round(multiple)) < 2e-4 * max(1.0, round(multiple))


def check(log) -> list:
    streak, first = 0, None
    for row in log.train:
        hits = [name for name, value in row.outputs.items() if _at_floor(value)]
        if hits:
            streak += 1
            first = first or (row, hits[0])
            if streak >= 2:
                break
        else:
            streak, first = 0, None
    if streak < 2 or first is None:
        return []
    row, name = first
    return [diagnosis(log, CODE, NAME, "error",
                    f"'{name}' is stuck at {row.outputs[name]:g} (a multiple of 87.3365 = "
                    f"-ln(FLT_MIN)) from iteration {row.iteration}",
                    row.iteration, row.line, list(ADVICE))]
