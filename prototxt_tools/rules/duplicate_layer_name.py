"""Two layers of the same net state share a name.

## What it does
For every phase/stage state, reports a layer whose name an earlier included
layer already uses (layers selected for different phases may share names).

## Why it matters
Caffe does not check layer names, but weights are matched by name: a binary
`.caffemodel` is copied into the **first** layer with the name and HDF5 weights into
the **last**, and the other one silently keeps its random initialisation. Train/test
weight sharing at test time matches names too.

## Example
```prototxt
layer { name: "fc" type: "InnerProduct" bottom: "pool5" top: "fc6" }
layer { name: "fc" type: "InnerProduct" bottom: "fc6" top: "fc7" }
```

## Use instead
```prototxt
layer { name: "fc6" type: "InnerProduct" bottom: "pool5" top: "fc6" }
layer { name: "fc7" type: "InnerProduct" bottom: "fc6" top: "fc7" }
```
"""
from __future__ import annotations

from .base import layer_anchor, state_label

CODE = "PTX104"
NAME = "duplicate-layer-name"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    reported = set()
    for state, graph in context.graphs():
        first = {}
        for layer in graph.layers():
            if not layer.name:
                continue
            earlier = first.setdefault(layer.name, layer)
            if earlier is layer or layer.index in reported:
                continue
            reported.add(layer.index)
            yield context.report(layer_anchor(layer), (
                f"layer name '{layer.name}' is already used by the layer at line "
                f"{earlier.node.line} ({state_label(state)}); Caffe does not check this, but "
                f"caffemodel weights go to the first of them and HDF5 weights to the last "
                f"-- rename one of them"))
