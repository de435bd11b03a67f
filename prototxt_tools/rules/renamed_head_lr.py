"""A layer that is new for fine-tuning learns no faster than the pretrained layers.

## What it does
With `--weights`, finds learnable layers of the TRAIN net that the caffemodel does
not hold (renamed or new heads) and reports those whose `lr_mult` is not above
the largest `lr_mult` of the layers that are loaded. Silent without `--weights`.

## Why it matters
Renaming the head is the documented way to re-initialise it, and the usual recipe
raises its `lr_mult` (e.g. 10 and 20) so the random head catches up while the
pretrained layers move slowly. Without it, fine-tuning converges slowly or the
pretrained features are overwritten first.

## Example
```prototxt
layer { name: "fc8_flickr" type: "InnerProduct" param { lr_mult: 1 } param { lr_mult: 2 } ... }
```

## Use instead
```prototxt
layer { name: "fc8_flickr" type: "InnerProduct" param { lr_mult: 10 } param { lr_mult: 20 } ... }
```
"""
from __future__ import annotations

from ..net import learnable_blob_count
from ._classes import loss_heads
from .base import layer_anchor

CODE = "PTX307"
NAME = "renamed-head-lr"
SEVERITY = "info"
OPTIONS: dict = {}


def _lr(layer) -> float:
    specs = layer.params
    return specs[0].lr_mult if specs and isinstance(specs[0].lr_mult, float) else 1.0


def check(context, options):
    weights = context.weight_layers()
    graph = context.graph("TRAIN")
    if not weights or graph is None:
        return
    stored = {w.name for w in weights if w.blob_shapes}
    learnable = [x for x in graph.layers() if (learnable_blob_count(x) or 0) > 0]
    loaded = [x for x in learnable if x.name in stored]
    if not loaded:
        return
    top_rate = max(_lr(x) for x in loaded)
    heads = {head.index for head in loss_heads(graph)}
    for layer in learnable:
        if layer.name in stored or _lr(layer) == 0.0 or _lr(layer) > top_rate:
            continue
        what = "a new head" if layer.index in heads else "a new layer"
        yield context.report(layer_anchor(layer), (
            f"layer '{layer.name}' is not in the weights ({what}), yet its lr_mult "
            f"{_lr(layer):g} is no higher than the pretrained layers' ({top_rate:g}) -- "
            f"consider lr_mult 10 (and 20 for the bias)"))
