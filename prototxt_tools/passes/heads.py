"""Finding a net's classifier heads: the layers a fine-tuner replaces.

A head is the learnable layer with a ``num_output`` (Convolution, Deconvolution,
InnerProduct, Embed) whose output reaches a loss, an Accuracy or a Softmax
through layers that only reshape or activate: walking up from bottom 0 of those
layers through single-input layers (ReLU, Dropout, Pooling, Flatten, BatchNorm,
Scale...) until the first layer with num_output.  That finds GoogLeNet's three
classifiers, SqueezeNet's 1x1 conv10 (under ReLU and global pooling) and fully
convolutional score layers, in every phase; a Concat or Eltwise on the way (SSD's
multibox heads) ends the walk without a head.
"""
from __future__ import annotations

from typing import List

from .base import graphs
from .num_output import PARAM_BLOCK

_READOUT = ("Accuracy", "Softmax")


def find_heads(ptx_file) -> List[str]:
    """Names of the head layers over every phase, in file order."""
    found = {}
    for graph in graphs(ptx_file):
        readouts = [layer for layer in graph.layers()
                    if layer.type in _READOUT or layer in graph.loss_layers()]
        for layer in readouts:
            head = _head_above(graph, layer)
            if head is not None:
                found.setdefault(head.name, head.index)
    return sorted(found, key=found.get)


def _head_above(graph, layer):
    if not layer.bottoms:
        return None
    current = graph.producer_layer(layer, 0)
    seen = set()
    while current is not None and current.index not in seen:
        seen.add(current.index)
        if current.type in PARAM_BLOCK:
            return current
        if len(current.bottoms) != 1:
            return None
        current = graph.producer_layer(current, 0)
    return None


def main_head(ptx_file) -> str:
    """The last head in file order: the final classifier (GoogLeNet's loss3)."""
    heads = find_heads(ptx_file)
    return heads[-1] if heads else ""
