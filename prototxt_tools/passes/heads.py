"""Finding a net's classifier heads: the layers a fine-tuner replaces.

A head is the learnable layer with a ``num_output`` (Convolution, Deconvolution,
InnerProduct, Embed) whose output reaches a loss, an Accuracy or a Softmax
through layers that only reshape or activate: walking up from bottom 0 of those
layers through single-input layers (ReLU, Dropout, Pooling, Flatten, BatchNorm,
Scale...) until the first layer with num_output.  That finds GoogLeNet's three
classifiers, SqueezeNet's 1x1 conv10 (under ReLU and global pooling) and fully
convolutional score layers (through Crop, fixed Deconvolution upsampling and Eltwise
score fusion), in every phase; a Concat on the way (SSD's multibox heads) ends the
walk without a head.
"""
from __future__ import annotations

from typing import List

from ..heads.walk import trace_up
from .base import graphs

_READOUT = ("Accuracy", "Softmax")


def find_heads(ptx_file) -> List[str]:
    """Names of the head layers over every phase, in file order (the walk is
    ``heads.walk.trace_up``'s, which every task family uses)."""
    found = {}
    for graph in graphs(ptx_file):
        losses = {layer.index for layer in graph.loss_layers()}
        readouts = [layer for layer in graph.layers()
                    if layer.type in _READOUT or layer.index in losses]
        for layer in readouts:
            for head in trace_up(graph, layer, 0).heads:
                found.setdefault(head.name, head.index)
    return sorted(found, key=found.get)


def main_head(ptx_file) -> str:
    """The last head in file order: the final classifier (GoogLeNet's loss3)."""
    heads = find_heads(ptx_file)
    return heads[-1] if heads else ""
