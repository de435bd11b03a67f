"""An ImageData layer trains without `shuffle: true`.

## What it does
Reports ImageData layers used in TRAIN without `image_data_param { shuffle: true }`,
saying so more strongly when the list is sorted by class. The unsafe fix adds
`shuffle: true`.

## Why it matters
ImageData reads its list in file order. A list sorted by class gives batches of a
single class: the net chases one class after another, loss oscillates and accuracy
stays near chance. Even an unsorted list is then seen in the same order every epoch.

## Example
```prototxt
image_data_param { source: "train.txt" batch_size: 32 }
```

## Use instead
```prototxt
image_data_param { source: "train.txt" batch_size: 32 shuffle: true }
```
"""
from __future__ import annotations

from ._classes import list_labels
from ..edits.fields import insert_field
from .base import Fix, layer_anchor

CODE = "PTX303"
NAME = "unshuffled-data"
SEVERITY = "warning"
OPTIONS: dict = {}


def _sorted_by_class(labels) -> bool:
    """Every class in one run: ascending, descending, or in the order a script met the
    class folders -- any of them gives single-class batches."""
    classes = len(set(labels or ()))
    if classes < 2:
        return False
    runs = 1 + sum(1 for a, b in zip(labels, labels[1:]) if a != b)
    return runs == classes


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None:
        return
    for layer in graph.layers():
        if layer.type != "ImageData" or layer.typed("image_data_param").get("shuffle") is True:
            continue
        block = layer.node.message("image_data_param")
        fix = Fix("add shuffle: true", (insert_field(block, "shuffle: true"),), safe=False) \
            if block is not None else None
        labels = list_labels(context, layer)
        why = ("its list is sorted by class, so every batch holds one class"
               if _sorted_by_class(labels) else "images are read in list order every epoch")
        yield context.report(layer_anchor(layer), (
            f"ImageData '{layer.name}' trains without shuffle: true: {why} -- "
            f"add shuffle: true to image_data_param"), fix=fix)
