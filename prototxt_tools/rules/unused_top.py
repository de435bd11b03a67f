"""A top that no layer reads in a training net, so it ends up as an extra net output.

## What it does
In states with a loss, reports tops that no later layer reads and that are not
the output of a loss or Accuracy layer. Caffe makes every unread blob a net output
(`This network produces output ...`), so these are usually leftovers of a removed
branch or a misspelt bottom.

## Why it matters
The branch is computed (and its memory allocated) at every iteration for nothing,
and the value is printed among the train outputs; a misspelt bottom elsewhere
often shows up first as an unused top.

## Example
```prototxt
layer { name: "fc7" type: "InnerProduct" bottom: "fc6" top: "fc7" }
layer { name: "fc8" type: "InnerProduct" bottom: "fc6" top: "fc8" }   # fc7 unused
```

## Use instead
Read the top where it was meant to be read (`bottom: "fc7"`), or remove the layer.
"""
from __future__ import annotations

from .base import state_label

CODE = "PTX107"
NAME = "unused-top"
SEVERITY = "info"
OPTIONS: dict = {}

_OUTPUT_TYPES = frozenset(("Accuracy", "Silence", "HDF5Output"))


def _is_output_layer(layer) -> bool:
    return layer.type in _OUTPUT_TYPES or layer.type.endswith("Loss") or any(
        isinstance(w, float) and w != 0.0 for w in layer.loss_weight)


def check(context, options):
    seen = set()
    for state, graph in context.graphs():
        if not graph.loss_layers():
            continue
        for blob in graph.outputs:
            if blob.producer is None:
                continue
            layer = graph.layer(blob.producer)
            chain = graph.in_place_chain(layer, blob.top_index)
            if any(_is_output_layer(member) for member in chain + [layer]):
                continue
            node, origin = blob.node, chain[0] if chain else layer
            key = (node.line, node.col)
            if key in seen:
                continue
            seen.add(key)
            yield context.report(node, f"top '{blob.name}' of layer '{origin.name}' is never read "
                                       f"({state_label(state)}); Caffe keeps it as a net output")
