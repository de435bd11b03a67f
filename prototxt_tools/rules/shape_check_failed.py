"""A layer's setup would fail one of Caffe's shape checks (any not covered by PTX501-504).

## What it does
Runs Caffe's setup arithmetic for every layer with known input shapes: kernel, stride
and pad counts, `num_output` and `group`, axis ranges, Slice points, Crop bounds,
pooling pads, negative or overflowing blob sizes, and more. The message is Caffe's.

## Why it matters
These are the `Check failed: ...` aborts Caffe prints while building the net, before
any data is read; finding them statically saves a job submission.

## Example
```prototxt
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        convolution_param { num_output: 64 group: 3 kernel_size: 3 } }
```

## Use instead
```prototxt
        convolution_param { num_output: 66 group: 3 kernel_size: 3 } }
```
"""
from __future__ import annotations

from ._shapes import bottom_origin, shape_errors, with_hint
from .base import layer_anchor

CODE = "PTX505"
NAME = "shape-check-failed"
SEVERITY = "error"
OPTIONS: dict = {}
COVERED = ("concat", "eltwise", "labels", "reshape")


def check(context, options):
    for _state, result, entry in shape_errors(context, None):
        if entry.error.kind in COVERED:
            continue
        layer = entry.layer
        hint = f"input {bottom_origin(result, layer, 0)}" if layer.bottoms else ""
        yield context.report(layer_anchor(layer), with_hint(entry.error.message, hint))
