"""Concat or Eltwise inputs whose shapes disagree, naming the branch that diverged.

## What it does
Infers every blob shape with Caffe's arithmetic and checks Concat (all axes but
the concat axis equal) and Eltwise (all shapes equal). The finding quotes Caffe's
message and names the bottom that differs and the layer producing it.

## Why it matters
Caffe aborts at setup, e.g. `Check failed: top_shape[j] == bottom[i]->shape(j) (51 vs. 50)
All inputs must have the same shape, except at concat_axis.` Typical causes: odd input
sizes that CEIL pooling and truncating convolution round differently in two branches,
or an input size the architecture was not designed for.

## Example
```prototxt
layer { name: "pool" type: "Pooling" bottom: "x" top: "pool"
        pooling_param { kernel_size: 3 stride: 2 } }          # 7 -> 3 (CEIL)
layer { name: "conv" type: "Convolution" bottom: "x" top: "conv"
        convolution_param { num_output: 8 kernel_size: 3 stride: 2 pad: 1 } }   # 7 -> 4
layer { name: "cat" type: "Concat" bottom: "pool" bottom: "conv" top: "cat" }
```

## Use instead
```prototxt
        pooling_param { kernel_size: 3 stride: 2 pad: 1 } }   # 7 -> 4, like the conv branch
```
"""
from __future__ import annotations

from ._shapes import bottom_origin, shape_errors, with_hint
from .base import layer_anchor

CODE = "PTX501"
NAME = "input-shape-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}


def _diverging(entry) -> int:
    """The first bottom whose shape differs from bottom 0 (outside the concat axis for Concat)."""
    first = entry.bottoms[0]
    for i, other in enumerate(entry.bottoms[1:], 1):
        if len(other) != len(first) or sum(a != b for a, b in zip(first, other)) > \
                (1 if entry.layer.type == "Concat" else 0):
            return i
    return 1


def check(context, options):
    for _state, result, entry in shape_errors(context, ("concat", "eltwise")):
        layer = entry.layer
        i = _diverging(entry)
        hint = (f"bottom {i} {bottom_origin(result, layer, i)} does not match "
                f"bottom 0 {bottom_origin(result, layer, 0)}")
        yield context.report(layer_anchor(layer), with_hint(entry.error.message, hint))
