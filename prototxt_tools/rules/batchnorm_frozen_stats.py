"""A BatchNorm inside frozen layers still updates its statistics during training.

## What it does
In the TRAIN net, reports BatchNorm layers without `use_global_stats: true` whose
input comes from a layer frozen with `lr_mult: 0` (or whose following Scale is
frozen): the surrounding layers are frozen, the normalisation is not.

## Why it matters
`lr_mult: 0` freezes weights only. In TRAIN, BatchNorm recomputes mean and variance
from every batch and overwrites its running averages (`use_global_stats` defaults to
`phase == TEST`), so a "frozen" backbone drifts towards the new data's statistics and
deploy results change. Fine-tuning with small batches makes it worse.

## Example
```prototxt
layer { name: "conv1" type: "Convolution" param { lr_mult: 0 } ... top: "conv1" }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
```

## Use instead
```prototxt
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1"
        batch_norm_param { use_global_stats: true } }
```
"""
from __future__ import annotations

from .base import original_writer, layer_anchor

CODE = "PTX204"
NAME = "batchnorm-frozen-statistics"
SEVERITY = "warning"
OPTIONS: dict = {}


def _frozen(layer) -> bool:
    specs = layer.params
    return bool(specs) and all(s.is_set("lr_mult") and s.lr_mult == 0.0 for s in specs)


def _next_scale(graph, layer):
    for consumer in graph.consumers(layer):
        if consumer.type == "Scale":
            return consumer
    return None


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None:
        return
    for layer in graph.layers():
        if layer.type != "BatchNorm" or not layer.bottoms:
            continue
        if layer.typed("batch_norm_param").get("use_global_stats") is True:
            continue
        source = original_writer(graph, layer, 0)
        scale = _next_scale(graph, layer)
        frozen = [x for x in (source, scale) if x is not None and x is not layer and _frozen(x)]
        if not frozen:
            continue
        yield context.report(layer_anchor(layer), (
            f"BatchNorm '{layer.name}' sits next to frozen layer '{frozen[0].name}' (lr_mult 0) "
            f"but still updates its mean/variance in TRAIN -- set "
            f"batch_norm_param {{ use_global_stats: true }} to freeze it too"))
