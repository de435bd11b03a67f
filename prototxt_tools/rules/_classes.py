"""Finding the classifier of a net and the labels it is trained on (shared by 3xx rules)."""
from __future__ import annotations

from typing import List, Optional, Tuple

from ..heads.walk import num_output as written_num_output
from .base import classifier_chain

CLASSIFIER_LOSSES = ("SoftmaxWithLoss",)


def num_output(layer) -> Optional[int]:
    """A classifier's positive ``num_output`` (an Embed is a lookup table, not one)."""
    value = written_num_output(layer) if layer.type != "Embed" else None
    return value if value is not None and value > 0 else None


def classifiers(graph) -> List[Tuple[object, object]]:
    """(loss layer, classifier layer) for every softmax loss whose input has a num_output."""
    out = []
    for loss in graph.loss_layers():
        if loss.type not in CLASSIFIER_LOSSES or len(loss.bottoms) < 2:
            continue
        layer = classifier_chain(graph, loss, 0)
        if layer is not None and num_output(layer) is not None:
            out.append((loss, layer))
    return out


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
