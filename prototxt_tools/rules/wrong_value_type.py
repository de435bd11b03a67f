"""A value of the wrong type: a string where a number belongs, a number out of range, a block where a scalar belongs.

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.
The same mistake repeated (a template's `cls6x` placeholder in 15 layers, string
types in 33 V1 `layers` blocks) is ONE finding at its first place, every place
listed as a related location: Caffe stops at the first, and the fix is one.

## Why it matters
protobuf refuses the file (`Expected integer, got: cls3x`) and Caffe aborts with
`Failed to parse NetParameter file`.

## Example
```prototxt
convolution_param { num_output: "64" }
```

## Use instead
```prototxt
convolution_param { num_output: 64 }
```
"""
from __future__ import annotations

from dataclasses import replace

from ._wrap import one_per_message, schema_findings

CODE = "PTX004"
NAME = "wrong-value-type"
SEVERITY = "error"
OPTIONS: dict = {}


V1_STRING_TYPE = "`type` takes an enum value (caffe.V1LayerParameter.LayerType), found a string"
V1_ADVICE = (" -- `layers` blocks are the V1 format (type: CONVOLUTION); a string type is the "
             "current format's: write `layer {` instead of `layers {`")


def check(context, options):
    """The schema validator's findings, one per distinct message."""
    for problem in one_per_message(schema_findings(context, CODE)):
        if problem.message.startswith(V1_STRING_TYPE):
            said = V1_STRING_TYPE + V1_ADVICE + problem.message[len(V1_STRING_TYPE):]
            problem = replace(problem, message=said)
        yield problem
