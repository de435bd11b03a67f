"""Shape rules of the SSD fork (weiliu89/caffe@ssd, §5.21): Permute, Normalize, PriorBox,
DetectionOutput, MultiBoxLoss and DetectionEvaluate.  Registered like any fork's rules would be."""
from __future__ import annotations

from typing import List

from .core import (Shape, Shapes, as_int, check, check_op, count, int_field, legacy, param,
                   register, truthy)


@register("Permute")
def permute(layer, bottoms: List[Shape]) -> Shapes:
    b = bottoms[0]
    order = []
    for value in param(layer, "permute_param").get_all("order"):
        axis = as_int(value)
        check_op(axis, "<", len(b), "order < num_axes", "order should be less than the input dimension.")
        check(axis not in order, "std::find(orders.begin(), orders.end(), order) == orders.end()",
              "there are duplicate orders")
        order.append(axis)
    order += [i for i in range(len(b)) if i not in order]
    return Shapes([tuple(b[i] for i in order)], [])


@register("Normalize")
def normalize(layer, bottoms: List[Shape]) -> Shapes:
    b = bottoms[0]
    check_op(len(b), ">=", 2, "bottom[0]->num_axes() >= 2", "Number of axes of bottom blob must be >=2.")
    shared = param(layer, "norm_param").get("channel_shared", True)
    return Shapes([b], [() if truthy(shared) or shared is None else (b[1],)])


def prior_count(p) -> int:
    """Priors per location: aspect ratios (1, each new one, and its inverse with flip) per min_size,
    plus one per max_size."""
    ratios = [1.0]
    flip = p.get("flip", True)
    for value in p.get_all("aspect_ratio"):
        ratio = float(value)
        if any(abs(ratio - r) < 1e-6 for r in ratios):
            continue
        ratios.append(ratio)
        if flip is None or truthy(flip):
            ratios.append(1.0 / ratio)
    min_sizes, max_sizes = p.get_all("min_size"), p.get_all("max_size")
    check(len(min_sizes) > 0, "prior_box_param.min_size_size() > 0", "must provide min_size.")
    if max_sizes:
        check_op(len(min_sizes), "==", len(max_sizes), "min_sizes_.size() == max_sizes_.size()")
        for low, high in zip(min_sizes, max_sizes):
            check_op(float(high), ">", float(low), "max_sizes_[i] > min_sizes_[i]",
                     "max_size must be greater than min_size.")
    return len(ratios) * len(min_sizes) + len(max_sizes)


@register("PriorBox")
def prior_box(layer, bottoms: List[Shape]) -> Shapes:
    b = bottoms[0]
    priors = prior_count(param(layer, "prior_box_param"))
    return Shapes([(1, 2, b[2] * b[3] * priors * 4)], [])


@register("DetectionOutput")
def detection_output(layer, bottoms: List[Shape]) -> Shapes:
    return Shapes([(1, 1, 1, 7)], [])


@register("MultiBoxLoss")
def multibox_loss(layer, bottoms: List[Shape]) -> Shapes:
    return Shapes([()], [])


@register("DetectionEvaluate")
def detection_evaluate(layer, bottoms: List[Shape]) -> Shapes:
    """detection_evaluate_layer.cpp: detections 1 x 1 x D x 7 and ground truth 1 x 1 x G x 8
    (AnnotatedData's box rows); top 1 x 1 x (classes without background + valid detections)
    x 5.  At net initialisation the detections are zeros, so each of their D rows counts."""
    p = param(layer, "detection_evaluate_param")
    classes = int_field(p, "detection_evaluate_param", "num_classes")
    check(p.is_set("num_classes"), "detection_evaluate_param.has_num_classes()", "Must provide num_classes.")
    detections, truth = bottoms[0], bottoms[1]
    for i, blob, width in ((0, detections, 7), (1, truth, 8)):
        check_op(legacy(blob, 0), "==", 1, f"bottom[{i}]->num() == 1")
        check_op(legacy(blob, 1), "==", 1, f"bottom[{i}]->channels() == 1")
        check_op(legacy(blob, 3), "==", width, f"bottom[{i}]->width() == {width}")
    background = as_int(p.get("background_label_id"), 0)
    positive = classes if background == -1 else classes - 1
    return Shapes([(1, 1, positive + legacy(detections, 2), 5)], [])
