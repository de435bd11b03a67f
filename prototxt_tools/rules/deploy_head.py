"""The deploy net's output reads another head than the one the training loss trains.

## What it does
For a deploy file with a training net beside it (found as `deploy-mismatch`
finds it), follows each deploy output back through Softmax, Sigmoid, ArgMax,
Flatten, Reshape, Crop and in-place layers to the learnable layer computing it,
and each training loss back to the layer it trains. An output computed by a
learnable layer that no loss trains is reported.

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

from .base import layer_anchor

CODE = "PTX702"
NAME = "deploy-head"
SEVERITY = "warning"
OPTIONS: dict = {}

PASS_THROUGH = frozenset(("Softmax", "Sigmoid", "TanH", "ArgMax", "Flatten", "Reshape", "Crop",
                          "ReLU", "Dropout", "Power", "Split"))
MAX_STEPS = 8


def _learnable(layer) -> bool:
    from ..net.blobs import learnable_blob_count
    count = learnable_blob_count(layer)
    return (count or 0) > 0 or (count is None and bool(layer.params))


def head_of(graph, layer, bottom_index: int = 0):
    """The learnable layer whose output ``layer`` reads at ``bottom_index``, followed back
    through pass-through and in-place layers; None when there is none."""
    from .base import classifier_chain
    current = classifier_chain(graph, layer, bottom_index)
    for _ in range(MAX_STEPS):
        if current is None or _learnable(current):
            return current
        if current.type not in PASS_THROUGH or not current.bottoms:
            return None
        current = classifier_chain(graph, current, 0)
    return None


def outputs(graph) -> list:
    """(layer, top index) of every net output: a last write that no layer reads."""
    found = []
    for layer in graph.layers():
        for index, blob in enumerate(graph.top_blobs(layer)):
            if graph.blobs(blob.name)[-1] == blob and not graph.readers(blob):
                found.append((layer, index))
    return found


def trained_heads(graph) -> set:
    heads = set()
    for loss in graph.loss_layers():
        if loss.bottoms:
            head = head_of(graph, loss, 0)
            if head is not None:
                heads.add(head.name)
    return heads


def _output_head(graph, layer):
    if _learnable(layer):
        return layer
    if layer.type in PASS_THROUGH and layer.bottoms:
        return head_of(graph, layer, 0)
    return None


def check(context, options):
    from ..lint.models import deploy_graph, train_graph, training_partner
    partner = training_partner(context)
    graph = deploy_graph(context) if partner is not None else None
    theirs = train_graph(partner) if graph is not None else None
    if theirs is None:
        return
    trained = trained_heads(theirs)
    if not trained:
        return
    other = os.path.basename(partner.path)
    for layer, index in outputs(graph):
        head = _output_head(graph, layer)
        if head is None or head.name in trained:
            continue
        names = ", ".join(f"'{n}'" for n in sorted(trained))
        yield context.report(layer_anchor(layer), (
            f"the deploy output '{layer.tops[index]}' is computed by layer '{head.name}', but the "
            f"loss of the training net {other!r} trains {names}: the deployed net predicts with "
            f"weights training never touched (Caffe copies weights by layer name and says "
            f"nothing) -- name the deploy head as the trained one"))
