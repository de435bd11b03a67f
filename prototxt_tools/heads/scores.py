"""Score layers of classification and segmentation nets, found from what reads them.

A readout is a loss, an Accuracy or a Softmax; walking up from its first input
(``walk.trace_up``) finds the learnable layers making the scores: GoogLeNet's three
classifiers, SqueezeNet's 1x1 conv10 under global pooling, FCN's score layers
fused by Eltwise through Crop and fixed upsampling, DeepLab's ASPP branches, and
(``through``) a CRF-RNN layer on top of them.  ``Scores`` keeps what every
family of this kind needs: heads, layers walked through, readouts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Sequence

from .common import all_graphs, unique_layers
from .walk import ALL_INPUTS, FIRST_INPUT, Trace, learnable, trace_up

READOUTS = ("Accuracy", "Softmax", "SegAccuracy", "SoftmaxWithLoss")
CRF_TYPES = ("MultiStageMeanfield", "DenseCRF", "CRF")


@dataclass
class Scores:
    heads: list = field(default_factory=list)
    passed: list = field(default_factory=list)
    readouts: list = field(default_factory=list)
    graphs: list = field(default_factory=list)

    def names(self) -> List[str]:
        return list(dict.fromkeys(h.name for h in self.heads))

    def passed_of(self, *types: str) -> list:
        return [layer for layer in self.passed if layer.type in types]


def find_scores(ptx_file, through: Sequence[str] = ()) -> Scores:
    """Heads over every net state; ``through``: extra multi-input types walked by input 0."""
    trace, readouts = Trace(), []
    graph_list = all_graphs(ptx_file)
    for graph in graph_list:
        losses = {layer.index for layer in graph.loss_layers()}
        found = [layer for layer in graph.layers()
                 if layer.type in READOUTS or layer.index in losses]
        readouts += found
        for layer in found or net_outputs(graph):
            if not found and learnable(layer):
                trace.add(Trace([layer], []))
                continue
            trace.add(trace_up(graph, layer, 0, ALL_INPUTS,
                               FIRST_INPUT + tuple(through) + CRF_TYPES))
    return Scores(unique_layers(trace.heads), unique_layers(trace.passed),
                  unique_layers(readouts), graph_list)


def net_outputs(graph) -> list:
    """Layers whose tops nobody reads (net outputs), for a net with no readout (FCN's
    deploy net ends in the Crop making ``score``; a deploy classifier may end in fc8)."""
    out = []
    for layer in graph.layers():
        if layer.tops and not graph.consumers(layer) and layer.bottoms:
            out.append(layer)
    return out
