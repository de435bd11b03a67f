"""A field the schema does not know (a typo or a fork-only field).

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.

## Why it matters
Caffe's protobuf parser refuses the whole file:
`Message type "caffe.LayerParameter" has no field named "psroi_pooling_param".` then
`Failed to parse NetParameter file`. Fork fields need the fork's build; lint them with
`--schema path/to/fork/caffe.proto`.

## Example
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
  convolution_param { num_outputs: 64 kernel_size: 3 }
}
```

## Use instead
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
  convolution_param { num_output: 64 kernel_size: 3 }
}
```
"""
from __future__ import annotations

from ._wrap import schema_findings

CODE = "PTX002"
NAME = "unknown-field"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """Wraps the schema validator's findings, except those about a catalogued fork's
    names: fork-use (PTX009) reports them, once per fork."""
    from ..forks.usage import claims_finding
    return (p for p in schema_findings(context, CODE) if not claims_finding(p))
