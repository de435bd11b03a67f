"""Score layers of classification and segmentation nets, found from what reads them.

A readout is a loss, an Accuracy or a Softmax; walking up from its first input
(``walk.trace_up``) finds the learnable layers making the scores: GoogLeNet's three
classifiers, SqueezeNet's 1x1 conv10 under global pooling, FCN's score layers
fused by Eltwise through Crop and fixed upsampling, DeepLab's ASPP branches, and
(``through``) a CRF-RNN layer on top of them.  ``Scores`` keeps what every
family of this kind needs: heads, layers walked through, readouts.

Not every loss reads class scores.  A regression (EuclideanLoss), an embedding
(ContrastiveLoss) or a one-output sigmoid map (HED's edges, a yes/no classifier)
ties the head's count to its target, which ``--replace-head`` cannot change: such
heads are ``Scores.others`` (with the reason), never heads, and a net with no other
head is refused saying so, instead of an autoencoder's 784 outputs becoming N.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Sequence

from ..net.blobs import WEIGHT_PARAM_BLOCK
from .common import all_graphs, unique_layers
from .walk import ALL_INPUTS, FIRST_INPUT, Trace, learnable, num_output, trace_up

READOUTS = ("Accuracy", "Softmax", "SegAccuracy", "SoftmaxWithLoss")
CRF_TYPES = ("MultiStageMeanfield", "DenseCRF", "CRF")
# Losses whose target has the head's own count (not a class index): what they learn.
_REGRESSION = "a regression, whose count follows its target"
_EMBEDDING = "an embedding, whose count is the embedding's size"
NOT_CLASSES = {"EuclideanLoss": _REGRESSION, "L1Loss": _REGRESSION, "SmoothL1Loss": _REGRESSION,
               "ContrastiveLoss": _EMBEDDING, "TripletLoss": _EMBEDDING}
SIGMOIDS = ("SigmoidCrossEntropyLoss", "Sigmoid")
# Class scores are never rectified: a net output under one of these is features.
ACTIVATIONS = ("ReLU", "PReLU", "ELU", "TanH", "AbsVal", "BNLL", "ReLU6")


@dataclass
class Scores:
    heads: list = field(default_factory=list)
    passed: list = field(default_factory=list)
    readouts: list = field(default_factory=list)
    graphs: list = field(default_factory=list)
    others: list = field(default_factory=list)   # (head, reader, what it learns): not classes
    outputs: list = field(default_factory=list)  # net outputs taken as scores (no readout)
    forks: list = field(default_factory=list)    # (layer, block, reader): a fork classifier

    def names(self) -> List[str]:
        return list(dict.fromkeys(h.name for h in self.heads))

    def passed_of(self, *types: str) -> list:
        return [layer for layer in self.passed if layer.type in types]


def find_scores(ptx_file, through: Sequence[str] = ()) -> Scores:
    """Heads over every net state; ``through``: extra multi-input types walked by input 0."""
    trace, readouts, others, outputs, forks = Trace(), [], [], [], []
    graph_list = all_graphs(ptx_file)
    for graph in graph_list:
        losses = {layer.index for layer in graph.loss_layers()}
        found = [layer for layer in graph.layers()   # (a weightless regression still reads it)
                 if layer.type in READOUTS or layer.index in losses or layer.type in NOT_CLASSES]
        readouts += [layer for layer in found if not _not_classes(layer, [])]
        for layer in found or net_outputs(graph):
            if not found and learnable(layer):
                trace.add(Trace([layer], []))
                outputs.append(layer)
                continue
            above = trace_up(graph, layer, 0, ALL_INPUTS, FIRST_INPUT + tuple(through) + CRF_TYPES)
            fork = _fork_classifier(above.passed)
            if fork is not None:
                forks.append(fork + (layer,))
                continue
            learns = _not_classes(layer, above.heads) or _reconstructs(graph, layer, above.heads)
            if not found and not learns:
                learns = _rectified(layer, above)
                outputs.append(layer)
            if learns:
                others += [(head, layer, learns) for head in above.heads]
            else:
                trace.add(above)
    tied = {head.index for head, _, _ in others}
    heads = [head for head in trace.heads if head.index not in tied]
    return Scores(unique_layers(heads), unique_layers(trace.passed),
                  unique_layers(readouts), graph_list, others,
                  unique_layers(outputs) if heads and not readouts else [], forks)


def _fork_classifier(passed):
    """(layer, block) of the first layer on the way up that makes its own outputs with a
    ``num_output`` in a block ptx does not resize (a fork's MarginInnerProduct, an LSTM):
    the scores come from it, and what lies above it is features."""
    for layer in passed:
        if layer.type in WEIGHT_PARAM_BLOCK:
            continue
        for block in layer.node.fields:
            value = block.value
            if (block.name.endswith("_param") and hasattr(value, "scalar")
                    and value.scalar("num_output") is not None):
                return layer, block.name
    return None


def _rectified(output, above) -> str:
    """'' unless the net output passed an activation on its way up: features (a VGG cut
    at conv5_3 for style transfer), not scores."""
    if any(layer.type in ACTIVATIONS for layer in [output] + above.passed):
        return "rectified features (class scores are never rectified)"
    return ""


def _not_classes(reader, heads) -> str:
    """What ``reader`` makes ``heads`` learn when it is not class scores, else ''."""
    if reader.type in NOT_CLASSES:
        return NOT_CLASSES[reader.type]
    if reader.type == "Python" and any(reader.loss_weight):
        return "a Python loss, whose target ptx cannot see"
    if reader.type in SIGMOIDS and heads and all(num_output(h) == 1 for h in heads):
        return "a one-output (yes/no) sigmoid map"
    return ""


def _reconstructs(graph, loss, heads) -> str:
    """'' unless the loss's target is the heads' own input again (an autoencoder: decode1
    against the flattened data the encoder read), not labels."""
    if "Loss" not in loss.type or len(loss.bottoms) < 2 or not heads:
        return ""
    target = graph.bottom_blobs(loss)[1]
    while target is not None and target.producer is not None:
        layer = graph.layer(target.producer)
        if len(layer.bottoms) != 1 or len(layer.tops) != 1 or learnable(layer):
            break
        target = graph.bottom_blobs(layer)[0]
    if target is None:
        return ""
    inputs = {blob.name for head in heads for above in graph.upstream(head) + [head]
              for blob in graph.bottom_blobs(above) if blob is not None}
    return "a reconstruction of its own input" if target.name in inputs else ""


def refuse_not_classes(ptx_file, scores: Scores) -> None:
    """PtxError when every head found is tied to a non-class target (``Scores.others``)."""
    from ..errors import PtxError
    if scores.heads:
        return
    if scores.forks:
        layer, block, reader = scores.forks[0]
        raise PtxError(f"the scores {reader.type} '{reader.name}' reads come from '{layer.name}' "
                       f"({layer.type}), a layer with its own {block}.num_output "
                       f"{layer.node.message(block).scalar('num_output')} that ptx cannot "
                       f"resize; change it by hand (num_output and a new name)", ptx_file.path)
    if not scores.others:
        return
    head, reader, learns = scores.others[0]
    named = f" '{reader.name}'" if reader.name else ""
    raise PtxError(f"'{head.name}' feeds {reader.type}{named}: {learns} -- not class scores; "
                   f"nothing to replace for N classes (name layers with --head to change them "
                   f"anyway)", ptx_file.path)


def net_outputs(graph) -> list:
    """Layers whose tops nobody reads (net outputs), for a net with no readout (FCN's
    deploy net ends in the Crop making ``score``; a deploy classifier may end in fc8)."""
    out = []
    for layer in graph.layers():
        if layer.tops and not graph.consumers(layer) and layer.bottoms and not _joins(layer):
            out.append(layer)
    return out


def _joins(layer) -> bool:
    """A Concat (or other join the walk does not follow) making the output: its first
    input is only some of the output's channels (OpenPose's heatmaps and part
    affinity fields), so walking up it would resize one branch of several."""
    return len(layer.bottoms) > 1 and not learnable(layer) and layer.type not in (
        ALL_INPUTS + FIRST_INPUT)
