"""A layer has both `include` and `exclude` rules.

## What it does
Reports layers that carry both kinds of phase/stage rules.

## Why it matters
Caffe aborts while filtering the net, whatever the phase:
`Specify either include rules or exclude rules; not both.`

## Example
```prototxt
layer { name: "drop" type: "Dropout" bottom: "fc7" top: "fc7"
        include { phase: TRAIN } exclude { stage: "deploy" } }
```

## Use instead
Express the condition with one kind: several `include {}` blocks are ORed, the
fields inside one block are ANDed (`not_stage` negates a stage).
```prototxt
include { phase: TRAIN not_stage: "deploy" }
```
"""
from __future__ import annotations

from ._wrap import graph_findings

CODE = "PTX103"
NAME = "include-and-exclude"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    return graph_findings(context, CODE)
