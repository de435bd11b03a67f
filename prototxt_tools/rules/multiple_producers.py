"""A top name is written by a second layer that is not computing in place.

## What it does
Reports a top that re-uses a name already produced earlier, unless the layer
computes in place (its top *i* equals its bottom *i*).

## Why it matters
Caffe aborts: `Top blob 'conv1' produced by multiple sources.` (older builds:
`Duplicate blobs produced by multiple sources.`). `bottom: a bottom: b top: b` is also
fatal: in-place needs the top at the same index as the bottom.

## Example
```prototxt
layer { name: "fc7a" type: "InnerProduct" bottom: "fc6" top: "fc7" }
layer { name: "fc7b" type: "InnerProduct" bottom: "fc6" top: "fc7" }
```

## Use instead
Give each new output its own name (`top: "fc7b"`) and update the layers that read it.
"""
from __future__ import annotations

from ._wrap import graph_findings

CODE = "PTX102"
NAME = "multiple-producers"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    return graph_findings(context, CODE)
