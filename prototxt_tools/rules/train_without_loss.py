"""A training net has no loss layer.

## What it does
Reports a net whose TRAIN state has no loss (no `*Loss` layer and no non-zero
`loss_weight`) when it is a solver's train net, or when it reads labelled
training data (a data layer with a label top, or a layer only included in TRAIN).

## Why it matters
Caffe runs such a net without complaint, but with no loss nothing is
backpropagated: every layer logs `does not need backward computation.` and the
weights never change. Usually the loss was restricted to TEST or removed with
the accuracy layer.

## Example
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label"
        include { phase: TEST } }
```

## Use instead
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label" }
```
"""
from __future__ import annotations

from .base import first_field

CODE = "PTX308"
NAME = "train-without-loss"
SEVERITY = "warning"
OPTIONS: dict = {}

_DATA = frozenset(("Data", "ImageData", "WindowData", "MemoryData", "HDF5Data"))


def _looks_like_training(graph) -> bool:
    for layer in graph.layers():
        if layer.type in _DATA and len(layer.tops) >= 2:
            return True
        if any(rule.phase == "TRAIN" for rule in layer.include):
            return True
    return False


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None or graph.loss_layers():
        return
    is_train_net = context.role is not None and context.role.role == "train"
    if context.role is not None and not is_train_net:
        return
    if not is_train_net and not _looks_like_training(graph):
        return
    yield context.report(first_field(context.the_net.node), "the TRAIN net has no loss layer: Caffe trains nothing "
                                 "(every layer 'does not need backward computation') -- add a "
                                 "loss layer included in TRAIN")
