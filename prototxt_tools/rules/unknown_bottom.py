"""A layer reads a blob no earlier layer produces in this phase/stage.

## What it does
Wires the net as Caffe does for every phase and stage set the file uses and
reports each bottom that names no earlier top, saying which later layer
produces it (if any) or which layer would but is excluded in this state.

## Why it matters
Caffe aborts before creating any layer:
`Unknown bottom blob 'label' (layer 'accuracy', bottom index 1)`.
Typical cause: a deploy net that kept a label-consuming layer, or layers out of order
(Caffe never reorders; a blob must be produced before it is consumed).

## Example
```prototxt
layer { name: "accuracy" type: "Accuracy" bottom: "fc8" bottom: "label" top: "accuracy" }
```

## Use instead
Produce the blob earlier (a data layer with a `label` top), or drop the layer from
the net (or restrict it with `include { phase: TRAIN }`).
"""
from __future__ import annotations

from ._wrap import graph_findings

CODE = "PTX101"
NAME = "unknown-bottom"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    return graph_findings(context, CODE)
