"""A Reshape whose target shape cannot be built from its input.

## What it does
Applies Reshape's rules to the inferred input: `0` copies an input axis, one `-1` is
inferred, `axis`/`num_axes` choose the replaced span, and the element count must be kept.

## Why it matters
Caffe aborts at setup, e.g. `bottom count (150528) must be divisible by the product of
the specified dimensions (1000)` or `output count must match input count`. Hard-coded
dims in a Reshape usually break when the batch size or input resolution changes.

## Example
```prototxt
layer { name: "r" type: "Reshape" bottom: "pool5" top: "r"
        reshape_param { shape { dim: 10 dim: 9216 } } }   # batch 50 at test time
```

## Use instead
```prototxt
        reshape_param { shape { dim: 0 dim: -1 } } }      # keep the batch, infer the rest
```
"""
from __future__ import annotations

from ._shapes import bottom_origin, shape_errors, with_hint
from .base import layer_anchor

CODE = "PTX504"
NAME = "reshape-unsatisfiable"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    for _state, result, entry in shape_errors(context, ("reshape",)):
        hint = f"input {bottom_origin(result, entry.layer, 0)}"
        yield context.report(layer_anchor(entry.layer), with_hint(entry.error.message, hint))
