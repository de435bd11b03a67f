"""Shape rules of the region-based detection forks: Fast/Faster R-CNN's ``ROIPooling``,
R-FCN's ``PSROIPooling``, and the ``SmoothL1Loss`` box-regression loss.

Both pool every region of interest of bottom[1] (R x 5: batch index and box) out of the
feature map bottom[0], so the top has one item per region: its first axis is bottom[1]'s.
Fields and defaults are those of the forks' caffe.proto (``pooled_h``, ``pooled_w``,
``output_dim``, ``group_size``: 0, which the layers refuse).
"""
from __future__ import annotations

from typing import List

from .core import Shape, Shapes, check_op, int_field, legacy, param, register


def _regions(bottoms: List[Shape]) -> int:
    """The number of regions, R = bottom[1].shape[0]; the features must be N x C x H x W."""
    check_op(len(bottoms), "==", 2, "bottom.size() == 2", "the layer takes the features and the rois")
    check_op(len(bottoms[0]), "==", 4, "bottom[0]->num_axes() == 4",
             "the features must be (num, channels, height, width)")
    check_op(len(bottoms[1]), ">=", 1, "bottom[1]->num_axes() >= 1", "the rois blob has one row per region")
    return bottoms[1][0]


@register("ROIPooling")
def roi_pooling(layer, bottoms: List[Shape]) -> Shapes:
    """Fast R-CNN roi_pooling_layer: top = (R, C, pooled_h, pooled_w)."""
    p = param(layer, "roi_pooling_param")
    pooled_h, pooled_w = (int_field(p, "roi_pooling_param", name) for name in ("pooled_h", "pooled_w"))
    check_op(pooled_h, ">", 0, "roi_pool_param.pooled_h() > 0", "pooled_h must be > 0")
    check_op(pooled_w, ">", 0, "roi_pool_param.pooled_w() > 0", "pooled_w must be > 0")
    regions = _regions(bottoms)
    return Shapes([(regions, bottoms[0][1], pooled_h, pooled_w)], [])


@register("PSROIPooling")
def psroi_pooling(layer, bottoms: List[Shape]) -> Shapes:
    """R-FCN psroi_pooling_layer: top = (R, output_dim, group_size, group_size); the input
    holds one score map per output channel and bin: C = output_dim * group_size^2."""
    p = param(layer, "psroi_pooling_param")
    output_dim, group_size = (int_field(p, "psroi_pooling_param", name)
                              for name in ("output_dim", "group_size"))
    check_op(output_dim, ">", 0, "psroi_pooling_param.output_dim() > 0", "output_dim must be > 0")
    check_op(group_size, ">", 0, "psroi_pooling_param.group_size() > 0", "group_size must be > 0")
    regions = _regions(bottoms)
    check_op(bottoms[0][1], "==", output_dim * group_size * group_size,
             "channels_ == output_dim_*group_size_*group_size_",
             "input channel number does not match layer parameters")
    return Shapes([(regions, output_dim, group_size, group_size)], [])


@register("SmoothL1Loss")
def smooth_l1_loss(layer, bottoms: List[Shape]) -> Shapes:
    """The checks the three forks' SmoothL1Loss share (caffe-fast-rcnn, SSD, caffe-rfcn):
    predictions, targets and (with three bottoms) weights agree in num, channels, height
    and width -- so a ``bbox_pred`` of 4 x 5 outputs against a 4 x 21 ``bbox_targets``
    aborts.  With four bottoms only Fast R-CNN's reads the weights (its second check is
    not the others'), so those are not judged.  Top: the scalar loss (R-FCN's optional
    second top: num x 1 x height x width)."""
    check_op(len(bottoms), ">=", 2, "bottom.size() >= 2", "predictions and targets")
    pred = bottoms[0]
    check_op(legacy(pred, 0), "==", legacy(bottoms[1], 0), "bottom[0]->num() == bottom[1]->num()",
             "The data and label should have the same number.", "labels")
    others = bottoms[1:3] if len(bottoms) == 3 else bottoms[1:2]
    for i, other in enumerate(others, start=1):
        for axis, name in ((1, "channels"), (2, "height"), (3, "width")):
            check_op(legacy(pred, axis), "==", legacy(other, axis),
                     f"bottom[0]->{name}() == bottom[{i}]->{name}()", "", "labels")
    per_item = (legacy(pred, 0), 1, legacy(pred, 2), legacy(pred, 3))
    return Shapes([()] + [per_item] * (len(layer.tops) - 1), [])
