"""Finding the classifier of a net and the labels it is trained on (shared by 3xx rules)."""
from __future__ import annotations

from typing import List, Optional, Tuple

from ..heads.walk import num_output as written_num_output
from ..heads.walk import trace_up

CLASSIFIER_LOSSES = ("SoftmaxWithLoss",)


def num_output(layer) -> Optional[int]:
    """A classifier's positive ``num_output`` (an Embed is a lookup table, not one)."""
    value = written_num_output(layer) if layer.type != "Embed" else None
    return value if value is not None and value > 0 else None


def classifiers(graph) -> List[Tuple[object, object]]:
    """(loss layer, classifier layer) for every softmax loss and every head
    ``heads.walk.trace_up`` finds under its scores that has a num_output: the layer
    --replace-head would replace (an fc8, SqueezeNet's conv10 under global pooling,
    FCN's fused score layers).  Scores reaching the loss through a Reshape are not
    one class per output (an RPN's ``2 x anchors``): the Reshape sets the count."""
    out = []
    for loss in graph.loss_layers():
        if loss.type not in CLASSIFIER_LOSSES or len(loss.bottoms) < 2:
            continue
        trace = trace_up(graph, loss, 0)
        if any(layer.type == "Reshape" for layer in trace.passed):
            continue
        out += [(loss, head) for head in trace.heads if num_output(head) is not None]
    return out


def loss_heads(graph) -> list:
    """The heads under every loss (``trace_up``'s, as --replace-head finds them)."""
    found = {}
    for loss in graph.loss_layers():
        for head in trace_up(graph, loss, 0).heads if loss.bottoms else ():
            found.setdefault(head.index, head)
    return list(found.values())


def label_source(graph, loss):
    """The ImageData layer producing the loss's labels, or None."""
    producer = graph.producer_layer(loss, 1)
    return producer if producer is not None and producer.type == "ImageData" else None


def ignore_label(loss) -> Optional[int]:
    params = loss.typed("loss_param")
    return params.get("ignore_label") if params.is_set("ignore_label") else None


def list_labels(context, data_layer) -> Optional[List[int]]:
    if data_layer is None:
        return None
    source = data_layer.typed("image_data_param").get("source")
    if not isinstance(source, str) or not source:
        return None
    return context.label_list(context.resolve(source))
