"""Shape rules of the SegNet fork (alexgkendall/caffe-segnet): ``Upsample`` and ``BN``.

Fields and defaults are those of SegNet's caffe.proto (``UpsampleParameter``: scale 2,
pad_out_h/w false, scale_h/w and upsample_h/w unset; ``BNParameter``: bn_mode and fillers
only).  Without the fork's schema unset fields read as None: the defaults are applied here.
"""
from __future__ import annotations

from typing import List, Tuple

from .core import Shape, Shapes, check, check_op, int_field, param, register, truthy


def _int(p, name: str, default: int = 0) -> int:
    """A ``upsample_param`` integer; the default is the fork's, since BVLC's schema lacks the field."""
    return int_field(p, "upsample_param", name, default)


def _scales(p) -> Tuple[int, int]:
    """scale_h and scale_w when both are given, else ``scale`` for both; each must exceed 1."""
    if p.is_set("scale_h") or p.is_set("scale_w"):
        check(p.is_set("scale_h") and p.is_set("scale_w") and not p.is_set("scale"),
              "!has_scale() && has_scale_h() && has_scale_w()",
              "upsample_h & upsample_w are required, else (DEPRECATED) scale OR scale_h & "
              "scale_w are required.")
        scales = (_int(p, "scale_h"), _int(p, "scale_w"))
    else:
        scales = (_int(p, "scale", 2),) * 2
    check_op(scales[0], ">", 1, "scale_h_ > 1")
    check_op(scales[1], ">", 1, "scale_w_ > 1")
    return scales


def _upsampled_hw(p, b: Shape) -> Tuple[int, int]:
    """upsample_h/w when both are given; else in * scale - pad_out (pad_out is a bool,
    allowed only with scale 2: it undoes the ceil of a 2x2 pooling of an odd size)."""
    if p.is_set("upsample_h") and p.is_set("upsample_w"):
        size = (_int(p, "upsample_h"), _int(p, "upsample_w"))
        check_op(size[0], ">", 1, "upsample_h_ > 1")
        check_op(size[1], ">", 1, "upsample_w_ > 1")
        return size
    scale_h, scale_w = _scales(p)
    pad_h, pad_w = int(truthy(p.get("pad_out_h"))), int(truthy(p.get("pad_out_w")))
    check(not pad_h or scale_h == 2, "!pad_out_h_ || scale_h_ == 2",
          "Output height padding compensation requires scale_h == 2, otherwise the output "
          "size is ill-defined.")
    check(not pad_w or scale_w == 2, "!pad_out_w_ || scale_w_ == 2",
          "Output width padding compensation requires scale_w == 2, otherwise the output "
          "size is ill-defined.")
    return b[2] * scale_h - pad_h, b[3] * scale_w - pad_w


@register("Upsample")
def upsample(layer, bottoms: List[Shape]) -> Shapes:
    """Max-unpooling: bottom[1] is the mask (argmax top) of the pooling being undone, so it
    must have bottom[0]'s shape; the top is (N, C, out_h, out_w)."""
    check_op(len(bottoms), "==", 2, "bottom.size() == 2",
             "Upsample takes the values and the pooling mask")
    b, mask = bottoms
    check_op(4, "==", len(b), "4 == bottom[0]->num_axes()",
             "Input must have 4 axes, corresponding to (num, channels, height, width)")
    check_op(4, "==", len(mask), "4 == bottom[1]->num_axes()",
             "Input mask must have 4 axes, corresponding to (num, channels, height, width)")
    for axis, name in enumerate(("num", "channels", "height", "width")):
        check_op(b[axis], "==", mask[axis], f"bottom[0]->{name}() == bottom[1]->{name}()")
    height, width = _upsampled_hw(param(layer, "upsample_param"), b)
    return Shapes([(b[0], b[1], height, width)], [])


@register("BN")
def bn(layer, bottoms: List[Shape]) -> Shapes:
    """Batch normalisation with its own scale and shift: the top has the bottom's shape.

    Learnable blobs: scale and shift, each 1 x C x 1 x 1.  Established for SegNet's BN
    (its nets give BN exactly two ``param {}`` blocks; BNParameter has a filler for each).
    Assumed for the other forks' ``BN`` types (PSPNet...): a fork that also keeps its running
    mean and variance as blobs has more blobs than counted here.
    """
    b = bottoms[0]
    check_op(len(b), ">=", 2, "bottom[0]->num_axes() >= 2", "BN normalises over axis 1 (channels)")
    channel = (1, b[1], 1, 1)
    return Shapes([b], [channel, channel])
