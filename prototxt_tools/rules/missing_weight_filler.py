"""A learnable layer of a training net has no `weight_filler` and is not loaded from weights.

## What it does
In nets that train (a TRAIN state with a loss), reports Convolution,
Deconvolution, InnerProduct and Embed layers without a `weight_filler`, unless
they are frozen (`lr_mult: 0`), share an earlier layer's weights, or the
`--weights` caffemodel holds a layer of that name.

## Why it matters
Caffe's default filler is `constant` with value 0. All-zero weights make every
output channel identical and their gradients identical, so the layer never breaks
symmetry: training runs, the loss barely moves.

## Example
```prototxt
layer { name: "fc8_new" type: "InnerProduct" bottom: "fc7" top: "fc8_new"
        inner_product_param { num_output: 20 } }
```

## Use instead
```prototxt
layer { name: "fc8_new" type: "InnerProduct" bottom: "fc7" top: "fc8_new"
        inner_product_param { num_output: 20 weight_filler { type: "gaussian" std: 0.01 } } }
```
"""
from __future__ import annotations

from ..net.blobs import WEIGHT_PARAM_BLOCK as PARAM_FIELD
from .base import layer_anchor

CODE = "PTX206"
NAME = "missing-weight-filler"
SEVERITY = "warning"
OPTIONS: dict = {}


def _exempt(layer, owners: set, loaded) -> bool:
    specs = layer.params
    if specs and specs[0].is_set("lr_mult") and specs[0].lr_mult == 0.0:
        return True
    if specs and specs[0].name and specs[0].name in owners:
        return True
    return loaded is not None and layer.name in loaded


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None or not graph.loss_layers():
        return
    weights = context.weight_layers()
    loaded = None if weights is None else {w.name for w in weights}
    owners: set = set()
    for layer in graph.layers():
        param_field = PARAM_FIELD.get(layer.type)
        exempt = param_field is None or _exempt(layer, owners, loaded)
        owners.update(s.name for s in layer.params if s.name)
        if exempt:
            continue
        if layer.typed(param_field).is_set("weight_filler"):
            continue
        hint = "" if loaded is not None else " (unless --weights loads it)"
        yield context.report(layer_anchor(layer), (
            f"layer '{layer.name}' has no weight_filler: Caffe fills it with constant 0, so its "
            f"outputs stay identical and it cannot learn{hint} -- add "
            f"weight_filler {{ type: \"msra\" }} (or \"xavier\"/\"gaussian\")"))
