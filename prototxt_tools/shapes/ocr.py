"""Shape rules of the caffe_ocr fork (senlinuc/caffe_ocr): ``Transpose`` and ``Reverse``.

Both are defined by the comments of the fork's caffe.proto, which is all that is
established about them here: TransposeParameter "if the i-th dim has value n, then
the i-th axis of top is equal to the n-th axis of bottom"; ReverseParameter inverts
the order along ``axis`` (default 0), so the shape does not change.
"""
from __future__ import annotations

from typing import List

from .core import Shape, ShapeError, Shapes, check_op, int_field, param, register


@register("Transpose")
def transpose(layer, bottoms: List[Shape]) -> Shapes:
    """top.shape[i] = bottom.shape[dim[i]]; ``dim`` must list every axis once, or the top
    would lose or repeat an axis.  Without any ``dim`` the proto says nothing: unknown."""
    b = bottoms[0]
    dims = [_axis(value) for value in param(layer, "transpose_param").get_all("dim")]
    if not dims:
        return Shapes([None], [])
    if sorted(dims) != list(range(len(b))):
        raise ShapeError(f"transpose_param.dim {dims} is not an order of the {len(b)} axes of "
                         f"bottom[0] (each of 0..{len(b) - 1} once)")
    return Shapes([tuple(b[axis] for axis in dims)], [])


def _axis(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError(f"transpose_param.dim must be an integer, not {value!r}")
    return value


@register("Reverse")
def reverse(layer, bottoms: List[Shape]) -> Shapes:
    """The top has the bottom's shape; the axis must exist."""
    b = bottoms[0]
    axis = int_field(param(layer, "reverse_param"), "reverse_param", "axis", 0)
    where = "reverse_param.axis is not an axis of bottom[0]"
    check_op(axis, "<", len(b), "axis < bottom[0]->num_axes()", where)
    check_op(axis, ">=", -len(b), "axis >= -bottom[0]->num_axes()", where)
    return Shapes([b], [])
