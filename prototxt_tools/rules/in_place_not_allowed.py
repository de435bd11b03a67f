"""Flatten, Reshape or Split is used in place (top equals bottom).

## What it does
Reports an in-place top on a layer type whose implementation refuses it.

## Why it matters
Caffe aborts at layer setup: `Flatten Layer does not allow in-place computation.`
(same text for Reshape and Split).

## Example
```prototxt
layer { name: "flat" type: "Flatten" bottom: "pool5" top: "pool5" }
```

## Use instead
```prototxt
layer { name: "flat" type: "Flatten" bottom: "pool5" top: "flat" }
```
and let the following layers read `flat`.
"""
from __future__ import annotations

from ._wrap import graph_findings

CODE = "PTX105"
NAME = "in-place-not-allowed"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    return graph_findings(context, CODE)
