"""Layers whose output has their input's shape (neurons, Softmax, LRN, Dropout, MVN), and
losses and Accuracy, whose checks compare predictions with labels (§5.11-5.13, §5.16-5.18)."""
from __future__ import annotations

from typing import List

from .core import Shape, Shapes, as_int, canonical_axis, check_op, count, param, register, same

NEURONS = ("AbsVal", "BNLL", "Dropout", "Exp", "Log", "Power", "ReLU", "Sigmoid", "TanH",
           "Threshold", "ELU", "Clip", "Swish", "MVN")
LOSSES = ("ContrastiveLoss", "HingeLoss", "InfogainLoss", "MultinomialLogisticLoss")
LABEL_HINT = ("e.g., if {what} axis == 1 and prediction shape is (N, C, H, W), label count "
              "(number of labels) must be N*H*W, with integer values in {{0, 1, ..., C-1}}.")


@register(*NEURONS)
def neuron(layer, bottoms: List[Shape]) -> Shapes:
    return Shapes([bottoms[0]], [])


@register("Softmax")
def softmax(layer, bottoms: List[Shape]) -> Shapes:
    canonical_axis(as_int(param(layer, "softmax_param").get("axis"), 1), bottoms[0])
    return same(bottoms)


@register("LRN")
def lrn(layer, bottoms: List[Shape]) -> Shapes:
    size = as_int(param(layer, "lrn_param").get("local_size"), 5)
    check_op(size % 2, "==", 1, "size_ % 2 == 1", "LRN only supports odd values for local_size")
    check_op(4, "==", len(bottoms[0]), "4 == bottom[0]->num_axes()",
             "Input must have 4 axes, corresponding to (num, channels, height, width)")
    return Shapes([bottoms[0]], [])


def _loss_setup(bottoms: List[Shape]) -> None:
    """LossLayer::Reshape: predictions and labels share their first dimension."""
    check_op(bottoms[0][0] if bottoms[0] else 1, "==", bottoms[1][0] if bottoms[1] else 1,
             "bottom[0]->shape(0) == bottom[1]->shape(0)",
             "The data and label should have the same first dimension.", "labels")


def _label_count(b: Shape, labels: Shape, axis: int, what: str) -> None:
    outer, inner = count(b, 0, axis), count(b, axis + 1)
    check_op(outer * inner, "==", count(labels), "outer_num_ * inner_num_ == bottom[1]->count()",
             "Number of labels must match number of predictions; " + LABEL_HINT.format(what=what),
             "labels")


@register("SoftmaxWithLoss")
def softmax_with_loss(layer, bottoms: List[Shape]) -> Shapes:
    _loss_setup(bottoms)
    b = bottoms[0]
    axis = canonical_axis(as_int(param(layer, "softmax_param").get("axis"), 1), b)
    _label_count(b, bottoms[1], axis, "softmax")
    return Shapes([()] + [b] * (len(layer.tops) - 1), [])


@register("SigmoidCrossEntropyLoss")
def sigmoid_cross_entropy(layer, bottoms: List[Shape]) -> Shapes:
    _loss_setup(bottoms)
    check_op(count(bottoms[0]), "==", count(bottoms[1]), "bottom[0]->count() == bottom[1]->count()",
             "SIGMOID_CROSS_ENTROPY_LOSS layer inputs must have the same count.", "labels")
    return Shapes([()], [])


@register("EuclideanLoss")
def euclidean(layer, bottoms: List[Shape]) -> Shapes:
    _loss_setup(bottoms)
    check_op(count(bottoms[0], 1), "==", count(bottoms[1], 1),
             "bottom[0]->count(1) == bottom[1]->count(1)", "Inputs must have the same dimension.",
             "labels")
    return Shapes([()], [])


@register(*LOSSES)
def loss(layer, bottoms: List[Shape]) -> Shapes:
    _loss_setup(bottoms)
    return Shapes([()], [])


@register("Accuracy")
def accuracy(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "accuracy_param")
    b, labels = bottoms[0], bottoms[1]
    top_k = as_int(p.get("top_k"), 1)
    classes = count(b) // count(labels) if count(labels) else 0
    check_op(top_k, "<=", classes, "top_k_ <= bottom[0]->count() / bottom[1]->count()",
             "top_k must be less than or equal to the number of classes.", "labels")
    axis = canonical_axis(as_int(p.get("axis"), 1), b)
    _label_count(b, labels, axis, "label")
    return Shapes([()] + [(b[axis],)] * (len(layer.tops) - 1), [])
