"""A value of the wrong type: a string where a number belongs, a number out of range, a block where a scalar belongs.

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.

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

from ._wrap import schema_findings

CODE = "PTX004"
NAME = "wrong-value-type"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """Wraps the schema validator's findings; nothing is recomputed here."""
    return schema_findings(context, CODE)
