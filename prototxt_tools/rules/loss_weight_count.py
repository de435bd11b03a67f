"""`loss_weight` is not given once per top, or a loss layer has a second top Caffe cannot weight.

## What it does
Compares the number of `loss_weight` values with the number of tops (loss layers
get one implicit weight), and reports two-top SoftmaxWithLoss/InfogainLoss layers,
which fail in BVLC Caffe whatever weights are written.

## Why it matters
Caffe aborts at layer setup:
`Check failed: top.size() == num_loss_weights (1 vs. 2) loss_weight must be unspecified or specified once per top blob.`
A `SoftmaxWithLoss` with a probability top gets one implicit weight for two tops, and
with two explicit weights its internal Softmax fails the same check.

## Example
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label"
        top: "loss" top: "prob" }
```

## Use instead
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label" top: "loss" }
layer { name: "prob" type: "Softmax" bottom: "fc8" top: "prob" }
```
"""
from __future__ import annotations

from .base import layer_anchor

CODE = "PTX205"
NAME = "loss-weight-count"
SEVERITY = "error"
OPTIONS: dict = {}

_LOSS_TYPES = frozenset(("ContrastiveLoss", "EuclideanLoss", "HingeLoss", "InfogainLoss",
                         "MultinomialLogisticLoss", "SigmoidCrossEntropyLoss", "SoftmaxWithLoss"))
_MESSAGE = ("Check failed: top.size() == num_loss_weights ({} vs. {}) loss_weight must be "
            "unspecified or specified once per top blob.")


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        weights, tops = layer.loss_weight, max(len(layer.tops), 1 if layer.type in _LOSS_TYPES else 0)
        anchor = (layer.node.get_all("loss_weight") or [layer_anchor(layer)])[0]
        if weights and len(weights) != tops:
            yield context.report(anchor, _MESSAGE.format(tops, len(weights))
                                 + f" -- layer '{layer.name}' has {tops} top(s)")
        elif layer.type in _LOSS_TYPES and tops == 2:
            caffe = _MESSAGE.format(2, 1) if not weights else _MESSAGE.format(1, 2)
            yield context.report(anchor, f"{caffe} -- layer '{layer.name}': BVLC Caffe cannot run "
                                         f"a {layer.type} with two tops; drop the second top and "
                                         f"add a separate Softmax layer")
