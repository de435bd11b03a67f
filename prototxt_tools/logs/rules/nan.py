"""NaN or inf in a loss or output: the run diverged (parse_log.py silently drops these rows).

## What it does
Reports the first iteration at which a training or test output (or the smoothed
loss) is NaN or infinite, with the learning rate at that point.

## Why it matters
Once a NaN appears every weight it reaches becomes NaN; the rest of the run learns
nothing, and tools that drop non-numeric rows hide it.

## Example
```
Iteration 200 (0.5 iter/s, 40s/20 iters), loss = nan
```

## Use instead
Lower ``base_lr`` (10x) or clip gradients (``clip_gradients``); check labels and the
input data for NaN; give new layers a moderate ``lr_mult`` when fine-tuning.
"""
from __future__ import annotations

import math

from .diagnosis import diagnosis

CODE = "PTX603"
NAME = "nan-loss"
SEVERITY = "error"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint


def _first_bad(rows):
    for row in rows:
        values = dict(row.outputs)
        if row.loss is not None:
            values["loss (smoothed)"] = row.loss
        for name, value in values.items():
            if not math.isfinite(value):
                return row, name, value
    return None


def check(log) -> list:
    findings = []
    tables = [("training", log.train)] + [(f"test net #{k}", rows) for k, rows in
                                          sorted(log.test.items())]
    for label, rows in tables:
        bad = _first_bad(rows)
        if bad is None:
            continue
        row, name, value = bad
        lr = f" (lr {row.lr:g})" if row.lr is not None else ""
        findings.append(diagnosis(log, CODE, NAME, "error",
                                f"{label} output '{name}' is {value} from iteration "
                                f"{row.iteration}{lr}", row.iteration, row.line,
                                ["learning rate too high: lower base_lr (try 10x lower) or "
                                 "clip gradients (clip_gradients)",
                                 "labels out of range or bad input values (NaN in the data, "
                                 "division by zero in a custom layer)",
                                 "fine-tuning: new layers with a large lr_mult next to "
                                 "unnormalized features"]))
    return findings
