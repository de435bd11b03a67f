"""More `param {}` blocks than the layer has learnable blobs.

## What it does
Counts the blobs Caffe will create for the layer (weights, plus a bias when
`bias_term` is true; 3 for BatchNorm...) and reports extra `param {}` specs.
The unsafe fix deletes the extra blocks.

## Why it matters
Caffe aborts while building the net:
`Check failed: param_size <= num_param_blobs (2 vs. 1) Too many params specified for layer res2a_branch1`.
Typical cause: `bias_term: false` on a convolution that kept its bias `param {}`.

## Example
```prototxt
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 } param { lr_mult: 2 }
  convolution_param { num_output: 64 kernel_size: 3 bias_term: false } }
```

## Use instead
```prototxt
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 }
  convolution_param { num_output: 64 kernel_size: 3 bias_term: false } }
```
"""
from __future__ import annotations

from ..net import learnable_blob_count
from ..edits.fields import remove_field
from .base import Fix, layer_anchor

CODE = "PTX201"
NAME = "too-many-params"
SEVERITY = "error"
OPTIONS: dict = {}


def _fix(layer, count: int):
    fields = layer.node.get_all("param")
    if layer.format != "v2" or len(fields) != len(layer.params):
        return None
    extra = fields[count:]
    return Fix(f"delete the {len(extra)} extra param {{}} block(s)",
               tuple(remove_field(f) for f in extra), safe=False)


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        count = learnable_blob_count(layer)
        given = len(layer.params)
        if count is None or given <= count:
            continue
        fields = layer.node.get_all("param")
        anchor = fields[count] if len(fields) > count else layer.params[count].node
        anchor = anchor or layer_anchor(layer)
        yield context.report(anchor, (
            f"Check failed: param_size <= num_param_blobs ({given} vs. {count}) Too many params "
            f"specified for layer {layer.name} -- a {layer.type} layer with these settings has "
            f"{count} learnable blob(s); remove the extra param {{}}"), fix=_fix(layer, count))
