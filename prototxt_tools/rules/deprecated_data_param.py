"""`mean_file`, `scale`, `crop_size` or `mirror` inside `data_param`/`image_data_param` of a V2 net.

## What it does
Reports the four transformation fields written in the data parameters of a
current-format (`layer {}`) net, where they still parse but do nothing.

## Why it matters
Caffe moves these fields into `transform_param` only when upgrading old `layers {}`
nets. In a `layer {}` net nothing reads them: no mean is subtracted, no crop, no
scaling, silently. Training still runs, on unnormalised inputs.

## Example
```prototxt
data_param { source: "train_lmdb" backend: LMDB batch_size: 64 mean_file: "mean.binaryproto" }
```

## Use instead
```prototxt
transform_param { mean_file: "mean.binaryproto" }
data_param { source: "train_lmdb" backend: LMDB batch_size: 64 }
```
"""
from __future__ import annotations

CODE = "PTX306"
NAME = "deprecated-data-param"
SEVERITY = "warning"
OPTIONS: dict = {}

FIELDS = ("mean_file", "scale", "crop_size", "mirror")
BLOCKS = ("data_param", "image_data_param")


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        if layer.format != "v2":
            continue
        for block_name in BLOCKS:
            block = layer.node.message(block_name)
            for field in block.fields if block is not None else ():
                if field.name in FIELDS:
                    yield context.report(field, (
                        f"{block_name}.{field.name} of layer '{layer.name}' is ignored by Caffe "
                        f"in `layer {{}}` nets -- move it to transform_param"))
