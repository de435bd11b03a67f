"""Faster / Fast R-CNN: class scores and box regression after ROI pooling.

The heads are the learnable layers below the ROI pooling with no learnable layer
below them: the one read by a Softmax (loss) scores C + 1 classes (background is
class 0), the other regresses boxes, ``4 x (C + 1)`` outputs when class-specific,
8 when class-agnostic (kept as is, weights and name too).  The RPN is above the
ROI pooling's features and is not touched: its 18 and 36 outputs are
``2 x anchors`` and ``4 x anchors``.  The Python data layers' ``param_str``
``'num_classes'`` changes with them (except ``roi-data``'s 2 of a class-agnostic
net), as do Reshapes of the scores in test nets.  Renamed heads keep their tops'
names: py-faster-rcnn's test code reads the ``cls_prob`` and ``bbox_pred`` blobs.
"""
from __future__ import annotations

from typing import List, Optional

from .common import (all_graphs, below, param_keys, python_class_keys, reaches_softmax,
                     reshape_settings, top_k_settings, unique_layers)
from .plan import Classes, Head, Plan
from .walk import learnable, num_output

NAME = "faster-rcnn"
ROI_TYPES = ("ROIPooling", "ROIAlign", "RoIPooling", "ROIPool", "ROIAlignPooling")
BBOX_NOTE = ("py-faster-rcnn's train.py un-normalizes the box regression of the layer named "
             "'bbox_pred' when it snapshots; with the layer renamed, set "
             "BBOX_NORMALIZE_TARGETS False or rename it back in the snapshot")


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    graph_list = all_graphs(ptx_file)
    leaves = roi_leaves(graph_list, ROI_TYPES)
    if not leaves:
        return None
    return detection_plan(NAME, ptx_file, graph_list, leaves, classes)


def roi_leaves(graph_list, pool_types) -> List[tuple]:
    """(graph, layer) of the learnable layers below a pooling of ``pool_types`` with no
    learnable layer below them."""
    out = []
    for graph in graph_list:
        for pool in graph.layers():
            if pool.type not in pool_types:
                continue
            below_pool = [l for l in graph.downstream(pool) if learnable(l)]
            for layer in below_pool:
                if not any(learnable(d) for d in graph.downstream(layer)):
                    if all(layer.index != o.index for _, o in out):
                        out.append((graph, layer))
    return out


def detection_plan(family, ptx_file, graph_list, leaves, classes) -> Optional[Plan]:
    scores = [(g, l) for g, l in leaves if reaches_softmax(g, l)]
    if not scores:
        return None
    old = num_output(scores[0][1])
    outputs, why = classes.with_background()
    result = Plan(family, keep_blob_names=True)
    result.heads += [Head(name, outputs, why) for name in _names(scores)]
    found = python_class_keys(ptx_file, graph_list)
    boxes = [(g, l) for g, l in leaves if (g, l) not in scores and l.name not in _names(scores)]
    agnostic = agnostic_boxes(boxes, old, found)
    for graph, layer in boxes:
        result.settings += _box(result, graph, layer, old, outputs, why, agnostic)
    result.param_keys += param_keys([(l, v) for l, v in found if not (agnostic and v == 2)],
                                    outputs, why)
    if agnostic and any(v == 2 for _, v in found):
        result.notes.append("'num_classes': 2 of the ROI target layer kept: the box "
                            "regression is class-agnostic")
    for graph, layer in scores:
        shown = unique_layers(below(graph, layer))
        result.settings += reshape_settings(shown, old, outputs, why)
        result.settings += top_k_settings(shown, outputs)
    result.settings = _dedup(result.settings)
    return result


def _names(pairs) -> List[str]:
    return list(dict.fromkeys(layer.name for _, layer in pairs))


def agnostic_boxes(boxes, old: int, found) -> bool:
    """Class-agnostic box regression: 8 outputs (background + object) where the scores
    have more than 2 classes, or, with 2, an ROI target layer told 'num_classes': 2
    while the data layer has more."""
    values = {num_output(l) for _, l in boxes}
    if values != {8}:
        return False
    return old != 2 or (2 in {v for _, v in found} and len({v for _, v in found}) > 1)


def _box(result, graph, layer, old, outputs, why, agnostic) -> list:
    count = num_output(layer)
    if agnostic:
        return []
    if count != 4 * old:
        result.notes.append(f"'{layer.name}' has {count} outputs, neither 4 x {old} "
                            f"(class-specific) nor 8 (class-agnostic): left as it is; check it")
        return []
    result.heads.append(Head(layer.name, 4 * outputs, f"4 x ({why})"))
    if layer.name == "bbox_pred":
        result.notes.append(BBOX_NOTE)
    return reshape_settings(unique_layers(below(graph, layer)), 4 * old, 4 * outputs,
                            f"4 x ({why})")


def _dedup(settings) -> list:
    seen, out = set(), []
    for s in settings:
        key = (s.index, s.path, s.item)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
