"""A non-repeated field is written twice.

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.

## Why it matters
protobuf refuses the file: `Non-repeated field "num_output" is specified multiple times.`
Even parsers that accept it keep only the last value, which is rarely what was meant.

## Example
```prototxt
convolution_param { num_output: 64 num_output: 128 }
```

## Use instead
```prototxt
convolution_param { num_output: 128 }
```
"""
from __future__ import annotations

from ._wrap import schema_findings

CODE = "PTX005"
NAME = "repeated-singular-field"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """Wraps the schema validator's findings; nothing is recomputed here."""
    return schema_findings(context, CODE)
