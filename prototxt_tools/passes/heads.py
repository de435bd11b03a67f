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

from .base import graphs
from .num_output import PARAM_BLOCK

_READOUT = ("Accuracy", "Softmax")
_THROUGH_FIRST = ("Crop", "Deconvolution")


def find_heads(ptx_file) -> List[str]:
    """Names of the head layers over every phase, in file order."""
    found = {}
    for graph in graphs(ptx_file):
        losses = {layer.index for layer in graph.loss_layers()}
        readouts = [layer for layer in graph.layers()
                    if layer.type in _READOUT or layer.index in losses]
        for layer in readouts:
            for head in _heads_above(graph, layer, 0, set()):
                found.setdefault(head.name, head.index)
    return sorted(found, key=found.get)


def _heads_above(graph, layer, bottom: int, seen: set) -> list:
    """Heads feeding bottom ``bottom`` of ``layer``.  Fully convolutional nets pass
    through fixed upsampling (Deconvolution with lr_mult 0), Crop (its bottom 0) and
    Eltwise score fusions (every bottom: FCN-8s has three score layers)."""
    if bottom >= len(layer.bottoms):
        return []
    current = graph.producer_layer(layer, bottom)
    if current is None or current.index in seen:
        return []
    seen.add(current.index)
    if current.type in PARAM_BLOCK and not _fixed(current):
        return [current]
    if current.type == "Eltwise":
        return [h for j in range(len(current.bottoms)) for h in _heads_above(graph, current, j, seen)]
    if len(current.bottoms) == 1 or current.type in _THROUGH_FIRST:
        return _heads_above(graph, current, 0, seen)
    return []


def _fixed(layer) -> bool:
    """A layer whose every parameter has lr_mult 0 (bilinear upsampling), not a head."""
    return bool(layer.params) and all(spec.lr_mult == 0 for spec in layer.params)


def main_head(ptx_file) -> str:
    """The last head in file order: the final classifier (GoogLeNet's loss3)."""
    heads = find_heads(ptx_file)
    return heads[-1] if heads else ""
