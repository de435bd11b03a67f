"""`propagate_down` is given, but not once per bottom (or asks a loss to backpropagate to labels).

## What it does
Compares the number of `propagate_down` values with the number of bottoms, and
reports `propagate_down: true` on the label bottom of SoftmaxWithLoss.

## Why it matters
Caffe aborts while building the net:
`Check failed: layer_param.propagate_down_size() == layer_param.bottom_size() (1 vs. 2) propagate_down param must be specified either 0 or bottom_size times `,
and in the first backward pass: `SoftmaxWithLoss Layer cannot backpropagate to label inputs.`

## Example
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label"
        propagate_down: false }
```

## Use instead
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label"
        propagate_down: false propagate_down: false }
```
"""
from __future__ import annotations

from .base import layer_anchor

CODE = "PTX202"
NAME = "propagate-down-count"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        flags, bottoms = layer.propagate_down, layer.bottoms
        if not flags:
            continue
        anchor = (layer.node.get_all("propagate_down") or [layer_anchor(layer)])[0]
        if len(flags) != len(bottoms):
            yield context.report(anchor, (
                f"Check failed: layer_param.propagate_down_size() == layer_param.bottom_size() "
                f"({len(flags)} vs. {len(bottoms)}) propagate_down param must be specified "
                f"either 0 or bottom_size times  -- layer '{layer.name}': give one value per bottom"))
        elif layer.type == "SoftmaxWithLoss" and len(flags) > 1 and flags[1] is True:
            yield context.report(anchor, "SoftmaxWithLoss Layer cannot backpropagate to label "
                                         f"inputs. -- layer '{layer.name}': set the second "
                                         "propagate_down to false")
