"""The deploy net's output reads another head than the one the training loss trains.

## What it does
For a deploy file with a training net beside it (found as `deploy-mismatch`
finds it), walks up from each deploy output that is a learnable layer or a
readout (Softmax, Sigmoid, ArgMax, Flatten, Reshape, Crop, in-place layers) to
the heads computing it, and from each training loss to the heads it trains, as
`--replace-head` finds heads (through pooling, activations, fixed upsampling, to
the layers with a `num_output`). A deploy head that no loss trains is reported.

## Why it matters
Caffe says nothing: the deploy net loads the trained weights by layer name,
and a head the training net renamed (`fc8` -> `fc8_flickr`) is not among them.
The deployed output then comes from the pretrained model's old head, or from
a filler: predictions are wrong with no error anywhere.

## Example
```prototxt
# train_val.prototxt: the loss reads fc8_flickr
# deploy.prototxt
layer { name: "fc8" type: "InnerProduct" bottom: "fc7" top: "fc8" inner_product_param { num_output: 20 } }
layer { name: "prob" type: "Softmax" bottom: "fc8" top: "prob" }
```

## Use instead
Name the deploy head as the trained one (`fc8_flickr`), so it receives the trained weights.
"""
from __future__ import annotations

import os

from ..heads.walk import learnable, trace_up
from ._classes import loss_heads
from .base import layer_anchor

CODE = "PTX702"
NAME = "deploy-head"
SEVERITY = "warning"
OPTIONS: dict = {}

PASS_THROUGH = frozenset(("Softmax", "Sigmoid", "TanH", "ArgMax", "Flatten", "Reshape", "Crop",
                          "ReLU", "Dropout", "Power", "Split"))


def outputs(graph) -> list:
    """(layer, top index) of every net output: a last write that no layer reads."""
    found = []
    for layer in graph.layers():
        for index, blob in enumerate(graph.top_blobs(layer)):
            if graph.blobs(blob.name)[-1] == blob and not graph.readers(blob):
                found.append((layer, index))
    return found


def _output_heads(graph, layer) -> list:
    """The heads computing a deploy output: the layer itself when it learns, else the
    heads under a readout of scores (Softmax, ArgMax, Flatten...)."""
    if learnable(layer):
        return [layer]
    if layer.type in PASS_THROUGH and layer.bottoms:
        return trace_up(graph, layer, 0).heads
    return []


def check(context, options):
    from ..lint.models import deploy_graph, train_graph, training_partner
    partner = training_partner(context)
    graph = deploy_graph(context) if partner is not None else None
    theirs = train_graph(partner) if graph is not None else None
    if theirs is None:
        return
    trained = {head.name for head in loss_heads(theirs)}
    if not trained:
        return
    other = os.path.basename(partner.path)
    for layer, index in outputs(graph):
        head = next((h for h in _output_heads(graph, layer) if h.name not in trained), None)
        if head is None:
            continue
        names = ", ".join(f"'{n}'" for n in sorted(trained))
        yield context.report(layer_anchor(layer), (
            f"the deploy output '{layer.tops[index]}' is computed by layer '{head.name}', but the "
            f"loss of the training net {other!r} trains {names}: the deployed net predicts with "
            f"weights training never touched (Caffe copies weights by layer name and says "
            f"nothing) -- name the deploy head as the trained one"))
