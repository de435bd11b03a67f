"""A BatchNorm `param {}` with a non-zero `lr_mult`.

## What it does
Reports BatchNorm parameter specs whose `lr_mult` is not 0. With exactly three
specs Caffe's file upgrade silently rewrites them to `lr_mult: 0` (a warning: the
file says something Caffe does not do); with one or two it is fatal. The safe fix
sets `lr_mult: 0`.

## Why it matters
BatchNorm's blobs are running statistics, not learned weights. Caffe aborts:
`Check failed: this->layer_param_.param(i).lr_mult() == 0.f (1 vs. 0) Cannot configure batch normalization statistics as layer parameters.`
The learnable scale and shift live in the `Scale` layer that follows.

## Example
```prototxt
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" param { lr_mult: 1 } }
```

## Use instead
```prototxt
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" param { lr_mult: 0 } }
```
"""
from __future__ import annotations

from ..edits import TextEdit
from .base import Fix

CODE = "PTX203"
NAME = "batchnorm-lr-mult"
SEVERITY = "error"
OPTIONS: dict = {}


def _fix(spec):
    field = spec.node.get("lr_mult") if hasattr(spec.node, "get") else None
    if field is None:
        return None
    value = field.value
    return Fix("set lr_mult: 0", (TextEdit(value.start, value.end, "0"),), safe=True)


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        if layer.type != "BatchNorm" or len(layer.params) > 3:
            continue
        upgraded = len(layer.params) == 3
        for spec in layer.params:
            if not isinstance(spec.lr_mult, float) or spec.lr_mult == 0.0 or spec.node is None:
                continue
            anchor = spec.node.get("lr_mult") if hasattr(spec.node, "get") else spec.node
            caffe = (f"Check failed: this->layer_param_.param(i).lr_mult() == 0.f "
                     f"({spec.lr_mult:g} vs. 0) Cannot configure batch normalization "
                     f"statistics as layer parameters.")
            if upgraded:
                message = (f"BatchNorm '{layer.name}': lr_mult {spec.lr_mult:g} is ignored -- "
                           f"Caffe's upgrade rewrites three BatchNorm params to lr_mult 0 "
                           f"(otherwise: {caffe}); write lr_mult: 0")
                yield context.report(anchor, message, fix=_fix(spec), severity="warning")
            else:
                yield context.report(anchor, f"{caffe} -- layer '{layer.name}': set lr_mult: 0 "
                                                f"or drop the param {{}}", fix=_fix(spec))
