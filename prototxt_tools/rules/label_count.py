"""A loss or Accuracy whose label count does not match its predictions.

## What it does
With inferred shapes, applies the setup checks of SoftmaxWithLoss, Accuracy,
EuclideanLoss, SigmoidCrossEntropyLoss and the other losses: same first
dimension, and `N*H*W` labels for an `(N, C, H, W)` prediction (softmax axis 1).

## Why it matters
Caffe aborts at setup with `Check failed: outer_num_ * inner_num_ == bottom[1]->count()
(4900 vs. 100) Number of labels must match number of predictions; ...` -- typically a
fully convolutional net fed a larger input than its labels, or one-hot / multi-label
labels given to a softmax loss.

## Example
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "score" bottom: "label" }
# score is 1x21x70x70, label is 1x1x10x10
```

## Use instead
```prototxt
# crop or resize so that score is 1x21x10x10 (or the labels 1x1x70x70)
layer { name: "crop" type: "Crop" bottom: "score" bottom: "label" top: "score_c" }
```
"""
from __future__ import annotations

from ._shapes import bottom_origin, shape_errors, with_hint
from .base import layer_anchor

CODE = "PTX503"
NAME = "label-count-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    for _state, result, entry in shape_errors(context, ("labels",)):
        layer = entry.layer
        hint = (f"predictions {bottom_origin(result, layer, 0)}, "
                f"labels {bottom_origin(result, layer, 1)}") if len(layer.bottoms) > 1 else ""
        yield context.report(layer_anchor(layer), with_hint(entry.error.message, hint))
