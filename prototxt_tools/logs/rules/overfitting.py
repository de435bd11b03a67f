"""A growing gap between test loss and training loss: the net memorizes the training set.

## What it does
Compares each test loss with the smoothed training loss at the same iteration and
reports when the gap at the end is more than twice the early gap while the test
loss rose 5% above its best.

## Why it matters
Past the best test loss every iteration makes the model worse on new data; the
snapshot to keep is an earlier one.

## Example
```
Test net output #1: loss = 1.2   (iteration 400)
Test net output #1: loss = 2.8   (iteration 2000, training loss 0.3)
```

## Use instead
Keep the snapshot near the best test loss; freeze more pretrained layers
(``lr_mult: 0``) when fine-tuning; augment, raise ``weight_decay`` or add dropout.
"""
from __future__ import annotations

from .diagnosis import diagnosis
from .series import finite, last_run_curve, test_series

CODE = "PTX608"
NAME = "overfitting"
SEVERITY = "warning"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint


def _train_at(smoothed, iteration):
    before = [v for i, v in smoothed if i <= iteration]
    return before[-1] if before else None


def check(log) -> list:
    found = last_run_curve(log)
    if found is None:
        return []
    _run, curve, smoothed = found
    findings = []
    for name, points in test_series(log, "loss"):
        gaps = []
        for iteration, value in finite(points):
            train = _train_at(smoothed, iteration)
            if train is not None:
                gaps.append((iteration, value - train, value))
        if len(gaps) < 4:
            continue
        early = min(g for _, g, _ in gaps[: max(2, len(gaps) // 3)])
        final_iter, final_gap, final_test = gaps[-1]
        best_iter, _, best_test = min(gaps, key=lambda g: g[2])
        if final_gap > max(2 * early, 0.1 * abs(final_test)) and final_test > 1.05 * best_test:
            findings.append(diagnosis(log, CODE, NAME, "warning",
                                    f"test '{name}' rose to {final_test:.4g} (best {best_test:.4g} "
                                    f"at iteration {best_iter}) while training loss kept falling; "
                                    f"gap {early:.3g} -> {final_gap:.3g}", final_iter, None,
                                    [f"keep the snapshot near iteration {best_iter}",
                                     "freeze more pretrained layers (lr_mult: 0) when fine-tuning",
                                     "augment (mirror, random crops), raise weight_decay or "
                                     "add dropout"]))
    return findings
