"""Training loss flat for a long stretch at one learning rate: time to drop the rate.
Suggests a ``stepsize`` from where the curve flattened.

## What it does
Looks at the last stretch of the last run trained at one learning rate; when the
smoothed loss stays within 2% of its final value for at least 30% of it, reports
where it flattened and suggests a ``step`` policy with that ``stepsize``.

## Why it matters
Iterations at a rate that no longer lowers the loss are wasted; dropping the rate
there usually lowers the loss again.

## Example
```
Iteration 600, lr = 0.01, loss = 1.0
Iteration 1800, lr = 0.01, loss = 1.0
```

## Use instead
``lr_policy: "step"`` with the suggested ``stepsize`` and ``gamma: 0.1``, or stop
training at the plateau.
"""
from __future__ import annotations

from .diagnosis import diagnosis
from .series import (finite, flat_start, last_run_with_rows, run_is_fresh, smooth, train_loss,
                     window_for)

CODE = "PTX606"
NAME = "plateau"
SEVERITY = "warning"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint
BAND = 0.02         # within 2% of the final smoothed loss counts as flat
MIN_FLAT = 0.3      # the flat part is at least this share of the constant-rate stretch


def _last_constant_rate(log, run):
    rows = [r for r in log.train if r.run == run and r.lr is not None]
    if not rows:
        return []
    last = rows[-1].lr
    start = len(rows)
    while start > 0 and rows[start - 1].lr == last:
        start -= 1
    return rows[start:]


def check(log) -> list:
    run = last_run_with_rows(log)
    rows = _last_constant_rate(log, run)
    if len(rows) < 20:
        return []
    first, last = rows[0].iteration, rows[-1].iteration
    curve = [p for p in finite(train_loss(log, run)) if first <= p[0] <= last]
    if len(curve) < 20:
        return []
    smoothed = smooth(curve, window_for(curve))
    final = smoothed[-1][1]
    flat_from = flat_start(smoothed, BAND)
    if flat_from <= len(smoothed) // 10 and run_is_fresh(log, run):
        return []   # flat almost from the start: the "not-learning" rule speaks
    flat_iter = smoothed[flat_from][0]
    if flat_iter == first or last - flat_iter < MIN_FLAT * (last - first):
        return []   # flat from the start of this rate: that is "stalled", not a plateau
    if smoothed[0][1] < final * (1 + 2 * BAND):
        return []
    step = max(1, flat_iter - first)
    return [diagnosis(log, CODE, NAME, "warning",
                    f"training loss is flat (within {BAND:.0%} of {final:.4g}) from iteration "
                    f"{flat_iter} to {last} at lr {rows[-1].lr:g}",
                    flat_iter, None,
                    [f"drop the learning rate there: lr_policy \"step\" with stepsize: {step} "
                     f"(gamma: 0.1)", "or stop training: more iterations at this rate do not help"])]
