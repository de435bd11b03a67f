"""An enum field holds a value its enum does not define.

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.

## Why it matters
protobuf refuses the file: `Unknown enumeration value of "AVG" for field "pool".`
and Caffe aborts with `Failed to parse NetParameter file`.

## Example
```prototxt
pooling_param { pool: AVG kernel_size: 2 }
```

## Use instead
```prototxt
pooling_param { pool: AVE kernel_size: 2 }
```
"""
from __future__ import annotations

from ._wrap import schema_findings

CODE = "PTX003"
NAME = "unknown-enum-value"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """Wraps the schema validator's findings, except those about a catalogued fork's
    names: fork-use (PTX009) reports them, once per fork."""
    from ..forks.usage import claims_finding
    return (p for p in schema_findings(context, CODE) if not claims_finding(p))
