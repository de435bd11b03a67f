"""A deploy net holds a training net's data sources, losses or accuracies.

## What it does
For a net file named as a deploy net (`deploy` in its name), lists the layers
Caffe builds for it (TEST phase) that belong to training: layers reading a data
source (`Data`, `ImageData`, `HDF5Data`, `WindowData`, fork readers with a
`source`), losses, and Accuracy layers. One finding per file, every layer listed
as a related location.

## Why it matters
A deploy net is run from code with an input blob. With a data layer it opens
the training database (`Check failed: mdb_status == 0 (2 vs. 0) No such file or
directory` on another machine) instead of taking the input; a loss or accuracy
needs a label blob nobody feeds. Often the "deploy" file is really a copy of
train_val.

## Example
```prototxt
# deploy.prototxt
layer { name: "data" type: "Data" top: "data" top: "label" data_param { source: "train_lmdb" batch_size: 1 } }
...
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label" top: "loss" }
```

## Use instead
An `Input` layer with the input shape, and a `Softmax` in place of the loss:
`ptx edit train_val.prototxt --to-deploy --input-shape 1,3,227,227 -o deploy.prototxt`.
"""
from __future__ import annotations

from dataclasses import replace

from .base import layer_anchor

CODE = "PTX703"
NAME = "deploy-training-layers"
SEVERITY = "warning"
OPTIONS: dict = {}

FED_BY_CODE = frozenset(("Input", "MemoryData", "DummyData", "Python"))


def _reads_source(layer) -> bool:
    if layer.type in FED_BY_CODE:
        return False
    blocks = [f for f in layer.body.fields if f.name.endswith("data_param")]
    return layer.type.endswith("Data") or any(
        getattr(f.value, "get", lambda _n: None)("source") is not None for f in blocks)


def _kind(layer, losses) -> str:
    if layer.index in losses:
        return "loss"
    if layer.type.endswith("Accuracy"):
        return "accuracy"
    return "data source" if _reads_source(layer) else ""


def check(context, options):
    from ..lint.models import deploy_graph, is_deploy_file
    if context.kind != "net" or context.net is not None or not is_deploy_file(context.path):
        return
    graph = deploy_graph(context)
    if graph is None:
        return
    losses = {layer.index for layer in graph.loss_layers()}
    found = [(layer, _kind(layer, losses)) for layer in graph.layers()]
    found = [(layer, kind) for layer, kind in found if kind]
    if not found:
        return
    listed = ", ".join(f"{kind} '{layer.name}' ({layer.type})" for layer, kind in found)
    problem = context.report(layer_anchor(found[0][0]), (
        f"this deploy net holds a training net's layers: {listed} -- a deploy net takes its "
        f"input from code (an Input layer) and ends in predictions; see `ptx edit --to-deploy`"))
    yield replace(problem, related=tuple(
        (*layer_anchor(layer).position, f"{kind} '{layer.name}'") for layer, kind in found))
