"""A data layer used only for testing mirrors its images.

## What it does
Reports `transform_param { mirror: true }` on data layers included in TEST but not
in TRAIN. The unsafe fix deletes the `mirror: true` line.

## Why it matters
Caffe applies `mirror` in every phase (`do_mirror = mirror && Rand(2)`), unlike
cropping, which is centred at test time. Validation images are flipped at random,
so accuracy changes from run to run and no longer matches deployment.

## Example
```prototxt
layer { name: "data" type: "Data" top: "data" top: "label" include { phase: TEST }
        transform_param { mirror: true crop_size: 227 } }
```

## Use instead
```prototxt
        transform_param { crop_size: 227 }
```
"""
from __future__ import annotations

from ..edits.fields import remove_field
from .base import Fix

CODE = "PTX304"
NAME = "test-mirror"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    test, train = context.graph("TEST"), context.graph("TRAIN")
    if test is None:
        return
    for layer in test.layers():
        if train is not None and layer in train:
            continue
        block = layer.node.message("transform_param")
        field = block.get("mirror") if block is not None else None
        if field is None or layer.typed("transform_param").get("mirror") is not True:
            continue
        yield context.report(field, (
            f"TEST data layer '{layer.name}' has mirror: true: Caffe flips test images at "
            f"random in every phase -- remove it"),
            fix=Fix("delete mirror: true", (remove_field(field),), safe=False))
