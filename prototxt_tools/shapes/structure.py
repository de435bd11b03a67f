"""Layers that route or reshape blobs: Concat, Eltwise, Slice, Split, Crop, Reshape,
Flatten, Tile, Reduction, ArgMax, Silence (§5.4-5.10, §5.20), Filter."""
from __future__ import annotations

from typing import List

from .core import (MAX_BLOB_AXES, Shape, ShapeError, Shapes, as_int, canonical_axis, check,
                   check_blob, check_op, count, param, register, truthy)


def _axis_or_dim(p, b: Shape, dim_field: str, kind: str) -> int:
    """Concat/Slice: ``axis`` or the deprecated unsigned ``concat_dim``/``slice_dim``."""
    check(not (p.is_set("axis") and p.is_set(dim_field)),
          f"!({kind}_param.has_axis() && {kind}_param.has_{dim_field}())",
          f"Either axis or {dim_field} should be specified; not both.")
    if p.is_set(dim_field):
        axis = as_int(p.get(dim_field))
        if axis >= 2 ** 31:
            axis -= 2 ** 32
        check_op(axis, ">=", 0, f"{kind}_axis_ >= 0",
                 f"casting {dim_field} from uint32 to int32 produced negative result; "
                 f"{dim_field} must satisfy 0 <= {dim_field} < {MAX_BLOB_AXES}")
        check_op(axis, "<", len(b), f"{kind}_axis_ < num_axes", f"{dim_field} out of range.")
        return axis
    return canonical_axis(as_int(p.get("axis"), 1), b)


@register("Concat")
def concat(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "concat_param")
    b = bottoms[0]
    axis = _axis_or_dim(p, b, "concat_dim", "concat")
    top = list(b)
    for i, other in enumerate(bottoms[1:], 1):
        check_op(len(b), "==", len(other), "num_axes == bottom[i]->num_axes()",
                 "All inputs must have the same #axes.", "concat")
        for j in range(len(b)):
            if j != axis:
                check_op(top[j], "==", other[j], "top_shape[j] == bottom[i]->shape(j)",
                         "All inputs must have the same shape, except at concat_axis.", "concat")
        top[axis] += other[axis]
    return Shapes([tuple(top)], [])


@register("Eltwise")
def eltwise(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "eltwise_param")
    coeffs = len(p.get_all("coeff"))
    check(coeffs == 0 or coeffs == len(bottoms),
          "this->layer_param().eltwise_param().coeff_size() == 0 || "
          "this->layer_param().eltwise_param().coeff_size() == bottom.size()",
          "Eltwise Layer takes one coefficient per bottom blob.")
    check(not (str(p.get("operation")) == "PROD" and coeffs),
          "!(this->layer_param().eltwise_param().operation() == EltwiseParameter_EltwiseOp_PROD "
          "&& this->layer_param().eltwise_param().coeff_size())",
          "Eltwise layer only takes coefficients for summation.")
    from .core import shape_string
    for i, other in enumerate(bottoms[1:], 1):
        check(other == bottoms[0], "bottom[0]->shape() == bottom[i]->shape()",
              f"bottom[0]: {shape_string(bottoms[0])}, bottom[{i}]: {shape_string(other)}", "eltwise")
    return Shapes([bottoms[0]], [])


@register("Slice")
def slice_layer(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "slice_param")
    b = bottoms[0]
    axis = _axis_or_dim(p, b, "slice_dim", "slice")
    n_tops, size = len(layer.tops), b[axis]
    points = [as_int(v) for v in p.get_all("slice_point")]
    if points:
        check_op(len(points), "==", n_tops - 1, "slice_point_.size() == top.size() - 1")
        check_op(n_tops, "<=", size, "top.size() <= bottom_slice_axis")
        pieces, prev = [], 0
        for point in points:
            check_op(point, ">", prev, "slice_point_[i] > prev")
            pieces.append(point - prev)
            prev = point
        pieces.append(size - prev)
    else:
        check_op(size % n_tops, "==", 0, "bottom_slice_axis % top.size() == 0",
                 f"Number of top blobs ({n_tops}) should evenly divide input slice axis ({size})")
        pieces = [size // n_tops] * n_tops
    return Shapes([b[:axis] + (piece,) + b[axis + 1:] for piece in pieces], [])


@register("Split")
def split(layer, bottoms: List[Shape]) -> Shapes:
    return Shapes([bottoms[0]] * len(layer.tops), [])


@register("Silence")
def silence(layer, bottoms: List[Shape]) -> Shapes:
    return Shapes([], [])


@register("Filter")
def filter_layer(layer, bottoms: List[Shape]) -> Shapes:
    """FilterLayer: the last bottom selects items; every other bottom must have as many.
    At set-up (first Reshape) each top keeps its bottom's shape, first axis from bottom 0;
    at run time the first axis is the number of selected items."""
    check_op(len(layer.tops), "==", len(bottoms) - 1, "top.size() == bottom.size() - 1")
    selector = bottoms[-1]
    for i in range(1, len(selector)):
        check_op(selector[i], "==", 1, f"bottom[selector_index]->shape({i}) == 1",
                 "Selector blob dimensions must be singletons (1), except the first")
    first = selector[0] if selector else 1
    for b in bottoms[:-1]:
        check_op(first, "==", b[0] if b else 1, "bottom[selector_index]->shape(0) == bottom[i]->shape(0)",
                 "Each bottom should have the same 0th dimension as the selector blob")
    n = bottoms[0][0] if bottoms[0] else 1
    return Shapes([(n,) + tuple(b[1:]) for b in bottoms[:-1]], [])


@register("Crop")
def crop(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "crop_param")
    b, ref = bottoms[0], bottoms[1]
    start = canonical_axis(as_int(p.get("axis"), 2), b)
    check_op(start, "<", len(b), "start_axis < input_dim", "crop axis bigger than input dim")
    offsets = [as_int(v) for v in p.get_all("offset")]
    if len(offsets) > 1:
        check_op(start + len(offsets), "==", len(b), "start_axis + param.offset_size() == input_dim",
                 "number of offset values specified must be equal to the number of "
                 "dimensions following axis.")
    top = list(b)
    for i in range(start, len(b)):
        offset = offsets[0] if len(offsets) == 1 else (offsets[i - start] if offsets else 0)
        wanted = ref[canonical_axis(i, ref)]
        check_op(b[i] - offset, ">=", wanted, "bottom[0]->shape(i) - crop_offset >= bottom[1]->shape(i)",
                 f"the crop for dimension {i} is out-of-bounds with size {wanted} and offset {offset}")
        top[i] = wanted
    return Shapes([tuple(top)], [])


def _reshape_spec(dims: List[int]):
    copy_axes, inferred, constant = [], -1, 1
    for i, dim in enumerate(dims):
        if dim == 0:
            copy_axes.append(i)
        elif dim == -1:
            check_op(inferred, "==", -1, "inferred_axis_ == -1",
                     "new shape contains multiple -1 dims; at most a single (1) value of -1 may be specified",
                     "reshape")
            inferred = i
        else:
            constant *= dim
    return copy_axes, inferred, constant


@register("Reshape")
def reshape(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "reshape_param")
    b = bottoms[0]
    shape_msg = p.get("shape")
    dims = [as_int(d) for d in shape_msg.get_all("dim")] if shape_msg is not None else []
    copy_axes, inferred, constant = _reshape_spec(dims)
    given_axis, num_axes = as_int(p.get("axis"), 0), as_int(p.get("num_axes"), -1)
    start = given_axis if given_axis >= 0 else len(b) + given_axis + 1
    check_op(start, ">=", 0, "start_axis >= 0", f"axis {given_axis} out of range", "reshape")
    check_op(start, "<=", len(b), "start_axis <= bottom[0]->num_axes()",
             f"axis {given_axis} out of range for {len(b)}-D input blob", "reshape")
    check_op(num_axes, ">=", -1, "num_axes >= -1", "num_axes must be >= 0, or -1 for all", "reshape")
    end = len(b) if num_axes == -1 else start + num_axes
    check_op(end, "<=", len(b), "end_axis <= bottom[0]->num_axes()",
             "end_axis = axis + num_axes is out of range", "reshape")
    top = list(b[:start]) + dims + list(b[end:])
    for i in copy_axes:
        check_op(len(b), ">", start + i, "bottom[0]->num_axes() > start_axis + copy_axis_index",
                 "new shape contains a 0, but there was no corresponding bottom axis to copy", "reshape")
        top[start + i] = b[start + i]
    if inferred >= 0:
        explicit = constant * count(b, 0, start) * count(b, end)
        for i in copy_axes:
            explicit *= top[start + i]
        if explicit == 0:
            raise ShapeError("Floating point exception: the specified dimensions multiply to 0", "reshape")
        check_op(0, "==", count(b) % explicit, "0 == bottom[0]->count() % explicit_count",
                 f"bottom count ({count(b)}) must be divisible by the product of the specified "
                 f"dimensions ({explicit})", "reshape")
        top[start + inferred] = count(b) // explicit
    check_blob(top)
    check_op(count(top), "==", count(b), "top[0]->count() == bottom[0]->count()",
             "output count must match input count", "reshape")
    return Shapes([tuple(top)], [])


@register("Flatten")
def flatten(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "flatten_param")
    b = bottoms[0]
    start = canonical_axis(as_int(p.get("axis"), 1), b)
    end = canonical_axis(as_int(p.get("end_axis"), -1), b)
    check_op(start, "<=", end + 1, "start_axis <= end_axis")
    return Shapes([tuple(b[:start]) + (count(b, start, end + 1),) + tuple(b[end + 1:])], [])


@register("Tile")
def tile(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "tile_param")
    b = bottoms[0]
    axis = canonical_axis(as_int(p.get("axis"), 1), b)
    check(p.is_set("tiles"), "tile_param.has_tiles()", "Number of tiles must be specified")
    tiles = as_int(p.get("tiles"))
    check_op(tiles, ">", 0, "tiles_ > 0", "Number of tiles must be positive.")
    return Shapes([b[:axis] + (b[axis] * tiles,) + b[axis + 1:]], [])


@register("Reduction")
def reduction(layer, bottoms: List[Shape]) -> Shapes:
    axis = canonical_axis(as_int(param(layer, "reduction_param").get("axis"), 0), bottoms[0])
    return Shapes([tuple(bottoms[0][:axis])], [])


@register("ArgMax")
def argmax(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "argmax_param")
    b = bottoms[0]
    top_k = as_int(p.get("top_k"), 1)
    check_op(top_k, ">=", 1, "top_k_ >= 1", "top k must not be less than 1.")
    if p.is_set("axis"):
        axis = canonical_axis(as_int(p.get("axis")), b)
        check_op(top_k, "<=", b[axis], "top_k_ <= bottom[0]->shape(axis_)",
                 "top_k must be less than or equal to the dimension of the axis.")
        return Shapes([b[:axis] + (top_k,) + b[axis + 1:]], [])
    check_op(top_k, "<=", count(b, 1), "top_k_ <= bottom[0]->count(1)",
             "top_k must be less than or equal to the dimension of the flattened bottom blob per instance.")
    top = [1] * max(3, len(b))
    top[0], top[2] = b[0], top_k
    if truthy(p.get("out_max_val")):
        top[1] = 2
    return Shapes([tuple(top)], [])
