"""Training loss that climbs far above its best value and stays there.

## What it does
Smooths the training loss of the last run and reports it when it ends at 1.5 times
its minimum or more, naming the iteration since which it stayed above.

## Why it matters
A diverging run gets worse with every iteration; its later snapshots are worse than
an earlier one, and a schedule that keeps the rate high makes it worse.

## Example
```
Iteration 400, loss = 0.9
Iteration 1000, loss = 3.7
```

## Use instead
Lower ``base_lr`` or drop the rate earlier; check momentum and the solver type's
usual rates (Adam about 1e-3 or lower).
"""
from __future__ import annotations

from .diagnosis import diagnosis
from .series import last_run_curve

CODE = "PTX604"
NAME = "divergence"
SEVERITY = "error"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint
RISE = 1.5   # smoothed loss this many times its minimum (and above its start)


def check(log) -> list:
    found = last_run_curve(log)
    if found is None:
        return []
    _run, curve, smoothed = found
    best_at = min(range(len(smoothed)), key=lambda k: smoothed[k][1])
    best = smoothed[best_at][1]
    final = smoothed[-1][1]
    if best <= 0 or final < RISE * best:
        return []
    since = next((i for i, v in smoothed[best_at:] if v >= RISE * best), smoothed[-1][0])
    return [diagnosis(log, CODE, NAME, "error",
                    f"training loss diverges: {final:.4g} at iteration {smoothed[-1][0]} vs "
                    f"{best:.4g} at iteration {smoothed[best_at][0]} (above {RISE}x since "
                    f"iteration {since})", since, None,
                    ["lower base_lr or shorten the step schedule before that iteration",
                     "check momentum/solver type settings (Adam lr ~1e-3 or lower, "
                     "RMSProp/AdaGrad without momentum)"])]
