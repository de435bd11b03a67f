"""Shape rule of DeepLab's ``Interp`` layer (bilinear resize), also used by PSPNet.

The fields and defaults are those of ``InterpParameter`` in DeepLab's caffe.proto
(height, width: 0; zoom_factor, shrink_factor: 1; pad_beg, pad_end: 0).  Without
the fork's schema the unset fields read as None, so the defaults are applied here.
"""
from __future__ import annotations

from typing import List, Tuple

from .core import Shape, ShapeError, Shapes, cdiv, check_op, int_field, param, register


def _int(p, name: str, default: int = 0) -> int:
    """A ``interp_param`` integer; the default is the fork's, since BVLC's schema lacks the field."""
    return int_field(p, "interp_param", name, default)


def _resized(p, size: int) -> int:
    """DeepLab interp_layer, one spatial axis; the branches are tried in this order:
    shrink only: out = (in_eff - 1) / shrink + 1 (C++ int division);
    zoom only: out = in_eff + (in_eff - 1) * (zoom - 1);
    height and width: those values (handled by the caller);
    shrink and zoom: shrink first, then zoom the shrunk size."""
    has_shrink, has_zoom = p.is_set("shrink_factor"), p.is_set("zoom_factor")
    shrink, zoom = _int(p, "shrink_factor", 1), _int(p, "zoom_factor", 1)
    if has_shrink:
        check_op(shrink, ">=", 1, "shrink_factor >= 1", "Shrink factor must be positive")
        size = cdiv(size - 1, shrink) + 1
    if has_zoom:
        check_op(zoom, ">=", 1, "zoom_factor >= 1", "Zoom factor must be positive")
        size = size + (size - 1) * (zoom - 1)
    return size


def _output_hw(layer, p, bottoms: List[Shape], eff: Tuple[int, int]) -> Tuple[int, int]:
    """Where the output size comes from: a second bottom (the forks that accept one), else the first
    of these that applies: one factor alone, height and width, both factors."""
    if len(bottoms) > 1:   # resize to the second bottom's H, W
        check_op(len(bottoms[1]), "==", 4, "bottom[1]->num_axes() == 4",
                 "the second bottom gives the output height and width (axes 2 and 3)")
        return bottoms[1][2], bottoms[1][3]
    factors = p.is_set("shrink_factor") + p.is_set("zoom_factor")
    if factors == 1:
        return _resized(p, eff[0]), _resized(p, eff[1])
    if p.is_set("height") and p.is_set("width"):
        return _int(p, "height"), _int(p, "width")
    if factors == 2:
        return _resized(p, eff[0]), _resized(p, eff[1])
    raise ShapeError(f"Interp layer {layer.name!r} has no output size: interp_param needs "
                     "zoom_factor, shrink_factor, or height and width (or a second bottom)")


@register("Interp")
def interp(layer, bottoms: List[Shape]) -> Shapes:
    """Output (N, C, H', W'), in_eff = in + pad_beg + pad_end; the fork only crops
    (pad_* <= 0) and requires positive effective and output sizes."""
    p = param(layer, "interp_param")
    b = bottoms[0]
    check_op(len(b), "==", 4, "bottom[0]->num_axes() == 4",
             "Input must have 4 axes, corresponding to (num, channels, height, width)")
    pad_beg, pad_end = _int(p, "pad_beg", 0), _int(p, "pad_end", 0)
    check_op(pad_beg, "<=", 0, "pad_beg_ <= 0", "Only supports non-pos padding (cropping) for now")
    check_op(pad_end, "<=", 0, "pad_end_ <= 0", "Only supports non-pos padding (cropping) for now")
    eff = (b[2] + pad_beg + pad_end, b[3] + pad_beg + pad_end)
    check_op(eff[0], ">", 0, "height_in_eff_ > 0", "height should be positive")
    check_op(eff[1], ">", 0, "width_in_eff_ > 0", "width should be positive")
    height, width = _output_hw(layer, p, bottoms, eff)
    check_op(height, ">", 0, "height_out_ > 0", "height should be positive")
    check_op(width, ">", 0, "width_out_ > 0", "width should be positive")
    return Shapes([(b[0], b[1], height, width)], [])
