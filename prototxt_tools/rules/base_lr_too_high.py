"""`base_lr` is high for the kind of training: above 0.01 when fine-tuning, above 0.1 otherwise.

## What it does
Reports `base_lr` above `finetune-max` (default 0.01) when fine-tuning (`--weights`
given, or the solver's `weights:` field), or above `max` (default 0.1) otherwise.

## Why it matters
Too high a rate makes training diverge within a few hundred iterations: the loss
jumps to NaN or sticks at 87.3365 (the softmax underflowed). When fine-tuning,
it also wipes out the pretrained features before the new head has learnt anything.
The Caffe tutorial: "If learning diverges ... try dropping the base_lr".

## Example
```prototxt
base_lr: 0.1     # fine-tuning from a caffemodel
```

## Use instead
```prototxt
base_lr: 0.001
```
"""
from __future__ import annotations

CODE = "PTX404"
NAME = "base-lr-too-high"
SEVERITY = "warning"
OPTIONS = {"max": (float, 0.1), "finetune-max": (float, 0.01)}


def check(context, options):
    solver = context.solver
    if solver is None or not context.ptx_file.doc.has("base_lr"):
        return
    base_lr = solver.get("base_lr")
    if not isinstance(base_lr, float):
        return
    if context.fine_tuning:
        limit, why = options["finetune-max"], "when fine-tuning from pretrained weights"
    else:
        limit, why = options["max"], "for training from scratch"
    if base_lr > limit:
        yield context.report(context.ptx_file.doc.get("base_lr"), (
            f"base_lr {base_lr:g} is above {limit:g}, high {why}: training is likely to diverge "
            f"(NaN or a loss stuck at 87.3365) -- lower it"))
