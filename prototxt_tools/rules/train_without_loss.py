"""A training net has no loss layer.

## What it does
Reports a net whose TRAIN state has no loss (no `*Loss` layer and no non-zero
`loss_weight`) when it is a solver's train net, or when it reads labelled
training data (a data layer with a label top, or a layer only included in TRAIN).
A net fed by code (`input:` fields, Input or MemoryData layers: a deploy net) and an
evaluation net (Accuracy but no loss in any phase, as old Caffe's `*_test` nets) are
not taken for training nets unless a solver trains them.

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

# Layers that read training data with labels from disk.  MemoryData and Input are fed
# by code (pycaffe, a C++ app): a net starting from them is a deploy net.
_DATA = frozenset(("Data", "ImageData", "WindowData", "HDF5Data"))
_FED_BY_CODE = frozenset(("Input", "MemoryData"))


def _fed_by_code(net, graph) -> bool:
    """The net takes its input from code: ``input:`` fields, Input or MemoryData layers."""
    return bool(net.inputs) or any(layer.type in _FED_BY_CODE for layer in graph.layers())


def _evaluates_only(net) -> bool:
    """An evaluation net of old Caffe (``lenet_test``): Accuracy but no loss in any phase."""
    types = {layer.type.lower() for layer in net.layers if layer.type}
    return "accuracy" in types and not any("loss" in kind for kind in types)


def _looks_like_training(net, graph) -> bool:
    if _fed_by_code(net, graph) or _evaluates_only(net):
        return False
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
    if not is_train_net and not _looks_like_training(context.the_net, graph):
        return
    yield context.report(first_field(context.the_net.node), "the TRAIN net has no loss layer: Caffe trains nothing "
                                 "(every layer 'does not need backward computation') -- add a "
                                 "loss layer included in TRAIN")
