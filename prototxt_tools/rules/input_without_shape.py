"""An `Input` layer configured like a data layer, with no shape.

## What it does
Reports an `Input` layer that gives no `input_param { shape }` but carries a data
layer's settings (`data_param`, `image_data_param`, `transform_param`, any
`*data_param`): a data layer whose type was changed to `Input`, or a deploy
net written from a train_val by hand.

## Why it matters
`Input` reads nothing: it only creates its tops with the shapes it is given.
Without a shape each top stays empty (`count_` 0) and the data settings are
ignored; the first layer reading it fails at set-up, e.g. a Convolution with
`axis 1 out of range for 0-D Blob with shape (0)`, or a net that runs on nothing.

## Example
```prototxt
layer { name: "data" type: "Input" top: "data"
        transform_param { crop_size: 227 mean_value: 104 } }
```

## Use instead
```prototxt
layer { name: "data" type: "Input" top: "data"
        input_param { shape { dim: 1 dim: 3 dim: 227 dim: 227 } } }
```
"""
from __future__ import annotations

from .base import layer_anchor

CODE = "PTX211"
NAME = "input-without-shape"
SEVERITY = "error"
OPTIONS: dict = {}


def _data_settings(layer) -> list:
    return [f.name for f in layer.body.fields
            if f.name == "transform_param" or f.name.endswith("data_param")]


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        if layer.type != "Input" or layer.typed("input_param").get_all("shape"):
            continue
        settings = _data_settings(layer)
        if not settings:
            continue
        yield context.report(layer_anchor(layer), (
            f"Input layer '{layer.name}' has {', '.join(settings)} but no input_param shape: "
            f"Input reads no data, so its tops stay empty (count_ 0) and the next layer fails "
            f"at set-up -- give input_param {{ shape {{ dim: N dim: C dim: H dim: W }} }}, or "
            f"use a data layer"))
