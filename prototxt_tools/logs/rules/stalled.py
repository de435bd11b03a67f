"""Training loss that never goes down: the net is not learning at all.

A loss near ln(N) is the loss of a uniform guess over N classes (6.91 for 1000).

## What it does
Reports a fresh run (not resumed, not fine-tuned from weights) whose smoothed
training loss is flat from its first tenth on, and says when the value is ln(N),
the loss of guessing uniformly over N classes.

## Why it matters
A net that does not learn in its first iterations rarely starts later; the usual
causes (rate, fillers, labels) are cheap to check and expensive to train through.

## Example
```
Iteration 0, loss = 7.4
Iteration 800, loss = 6.9078
```

## Use instead
Try the learning rate 10x lower and 10x higher for a few hundred iterations; check
the fillers, the input scale and that the labels match the images.
"""
from __future__ import annotations

import math

from .diagnosis import diagnosis
from .series import flat_start, last_run_curve, run_is_fresh

CODE = "PTX605"
NAME = "not-learning"
SEVERITY = "warning"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint
BAND = 0.02   # flat = within 2% of the final smoothed loss


def check(log) -> list:
    found = last_run_curve(log, 20)
    if found is None or not run_is_fresh(log, found[0]):
        return []
    run, curve, smoothed = found
    flat_from = flat_start(smoothed, BAND)
    start, final = curve[0][1], smoothed[-1][1]
    if flat_from > len(smoothed) // 10 or final > start:
        return []   # it learned for a while (plateau) or it went up (divergence)
    chance = _chance_note(final)
    return [diagnosis(log, CODE, NAME, "warning",
                    f"training loss stopped moving at {final:.4g} by iteration "
                    f"{smoothed[flat_from][0]} (of {curve[-1][0]}){chance}", curve[-1][0], None,
                    ["a learning rate far too high (the net saturates) or too low: try 10x "
                     "lower and 10x higher for a few hundred iterations",
                     "check weight initialization (fillers) and the input scale",
                     "check the labels match the images"])]


def _chance_note(loss: float) -> str:
    """" (ln(N): a uniform guess over N classes)" when the loss is close to ln of a round N."""
    if not 0.6 < loss < 12:
        return ""
    guess = math.exp(loss)
    digits = 1 - int(math.floor(math.log10(guess)))   # two significant digits
    classes = int(round(guess, digits))
    if classes < 2 or abs(math.log(classes) - loss) > 0.02:
        return ""
    return f" - close to ln({classes}) = {math.log(classes):.4g}, a uniform guess over {classes} classes"
