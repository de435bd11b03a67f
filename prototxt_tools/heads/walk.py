"""Walking a net's graph from what reads class scores up to the layers that make them.

Every family asks the same question: which learnable layers (a ``num_output``)
produce what this loss, Softmax or detection layer reads, and which layers lie in
between (a Reshape holding the class count, a fixed upsampling Deconvolution)?
The walk goes up through single-input layers (ReLU, Pooling, Flatten, Permute,
Softmax, Interp...), through every input of the layer types in ``all_inputs``
(Eltwise score fusion, SSD's Concat) and the first input of ``first_input``
(Crop, ROI pooling), and through Deconvolutions that upsample scores (bilinear,
fixed or learnt: ``learnt_upsampling``).  It stops at the first learnable layer on
each path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Sequence

from ..net.blobs import WEIGHT_PARAM_BLOCK

ALL_INPUTS = ("Eltwise",)
FIRST_INPUT = ("Crop",)


@dataclass
class Trace:
    """Heads found (learnable layers, file order) and the layers walked through."""

    heads: list = field(default_factory=list)
    passed: list = field(default_factory=list)

    def add(self, other: "Trace") -> None:
        for layer in other.heads:
            if all(layer.index != h.index for h in self.heads):
                self.heads.append(layer)
        for layer in other.passed:
            if all(layer.index != p.index for p in self.passed):
                self.passed.append(layer)


def fixed(layer) -> bool:
    """Every parameter blob at lr_mult 0: bilinear upsampling, not a head."""
    return bool(layer.params) and all(spec.lr_mult == 0 for spec in layer.params)


def learnable(layer) -> bool:
    """A layer with weights that ends the walk: everything in ``WEIGHT_PARAM_BLOCK`` but
    a fixed Deconvolution (upsampling); a frozen classifier is still the classifier."""
    return layer.type in WEIGHT_PARAM_BLOCK and not (layer.type == "Deconvolution"
                                                     and fixed(layer))


def learnt_upsampling(graph, layer) -> bool:
    """A learnt Deconvolution that keeps its input's class count: the learnable layers
    feeding it all have its ``num_output`` (early FCN-8s: ``score2``, ``score4`` upsample
    21-channel scores to 21 channels, lr_mult 1).  It is walked through like a fixed
    upsampling, so the score layers below it are found too."""
    if layer.type != "Deconvolution" or num_output(layer) is None:
        return False
    below = trace_up(graph, layer, 0).heads
    return bool(below) and all(num_output(head) == num_output(layer) for head in below)


def trace_up(graph, layer, bottom: int, all_inputs: Sequence[str] = ALL_INPUTS,
             first_input: Sequence[str] = FIRST_INPUT) -> Trace:
    """Heads feeding bottom ``bottom`` of ``layer`` and the layers on the way."""
    trace = Trace()
    _up(graph, layer, bottom, tuple(all_inputs), tuple(first_input) + ("Deconvolution",),
        set(), trace)
    trace.heads.sort(key=lambda l: l.index)
    return trace


def _up(graph, layer, bottom, all_inputs, first_input, seen, trace) -> None:
    if bottom >= len(layer.bottoms):
        return
    current = graph.producer_layer(layer, bottom)
    if current is None or current.index in seen:
        return
    seen.add(current.index)
    if learnable(current) and not learnt_upsampling(graph, current):
        trace.heads.append(current)
        return
    trace.passed.append(current)
    if current.type in all_inputs:
        for j in range(len(current.bottoms)):
            _up(graph, current, j, all_inputs, first_input, seen, trace)
    elif len(current.bottoms) == 1 or current.type in first_input:
        _up(graph, current, 0, all_inputs, first_input, seen, trace)


def num_output(layer):
    """The layer's ``num_output`` as an int, or None."""
    block = WEIGHT_PARAM_BLOCK.get(layer.type)
    value = layer.typed(block).get("num_output") if block else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def readers_of(graph, layer) -> list:
    """Layers reading any top of ``layer``, following in-place rewrites of it."""
    out = []
    for i in range(len(layer.tops)):
        for chained in graph.in_place_chain(layer, i):
            for reader in graph.consumers(chained, None):
                if reader.index != chained.index and all(reader.index != o.index for o in out):
                    out.append(reader)
    return out
