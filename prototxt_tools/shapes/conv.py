"""Convolution, Deconvolution and Pooling (base_conv_layer.cpp, conv/deconv_layer.cpp, pooling_layer.cpp).

Output sizes use C++ integer division (truncation toward zero) for
convolution and single-precision ``ceil``/``floor`` for pooling, followed by
the pooling rule that drops a last window starting inside the right padding.
"""
from __future__ import annotations

import math
import struct
from typing import List, Tuple

from .core import (Shape, ShapeError, Shapes, as_int, canonical_axis, cdiv, check, check_op,
                   count, param, register, truthy)


def _per_axis(p, name: str, n: int, default, hw: Tuple[str, str]) -> List[int]:
    """kernel/stride/pad/dilation per spatial axis, with Caffe's checks and messages."""
    h_name, w_name = hw
    if h_name and (p.is_set(h_name) or p.is_set(w_name)):
        check_op(n, "==", 2, "num_spatial_axes_ == 2",
                 f"{h_name} & {w_name} can only be used for 2D convolution.")
        values = p.get_all(name)
        check_op(0, "==", len(values), f"0 == conv_param.{name}_size()",
                 f"Either {name} or {h_name}/w should be specified; not both.")
        return [as_int(p.get(h_name)), as_int(p.get(w_name))]
    values = [as_int(v) for v in p.get_all(name)]
    allowed = (1, n) if default is None else (0, 1, n)
    var = {"kernel_size": "kernel"}.get(name, name)
    if len(values) not in allowed:
        zero = "" if default is None else f"num_{var}_dims == 0 || "
        raise ShapeError(
            f"Check failed: {zero}num_{var}_dims == 1 || num_{var}_dims == num_spatial_axes_ "
            f"{name} must be specified once, or once per spatial dimension "
            f"({name} specified {len(values)} times; {n} spatial dims).")
    if not values:
        return [default] * n
    return [values[0] if len(values) == 1 else values[i] for i in range(n)]


def _geometry(p, n: int):
    kernel = _per_axis(p, "kernel_size", n, None, ("kernel_h", "kernel_w"))
    for k in kernel:
        check_op(k, ">", 0, "kernel_shape_data[i] > 0", "Filter dimensions must be nonzero.")
    stride = _per_axis(p, "stride", n, 1, ("stride_h", "stride_w"))
    for s in stride:
        check_op(s, ">", 0, "stride_data[i] > 0", "Stride dimensions must be nonzero.")
    pad = _per_axis(p, "pad", n, 0, ("pad_h", "pad_w"))
    dilation = _per_axis(p, "dilation", n, 1, ("", ""))
    return kernel, stride, pad, dilation


def _conv_setup(layer, bottoms: List[Shape]):
    p = param(layer, "convolution_param")
    b = bottoms[0]
    axis = canonical_axis(as_int(p.get("axis"), 1), b)
    n = len(b) - axis - 1
    check_op(n, ">=", 0, "num_spatial_axes_ >= 0")
    kernel, stride, pad, dilation = _geometry(p, n)
    channels, num_output, group = b[axis], as_int(p.get("num_output")), as_int(p.get("group"), 1)
    check_op(num_output, ">", 0, "num_output_ > 0")
    check_op(channels % group if group else 0, "==", 0, "channels_ % group_ == 0")
    check_op(num_output % group if group else 0, "==", 0, "num_output_ % group_ == 0",
             "Number of output should be multiples of group.")
    for other in bottoms[1:]:
        check(other == b, "bottom[0]->shape() == bottom[bottom_id]->shape()",
              "All inputs must have the same shape.")
    return p, axis, kernel, stride, pad, dilation, channels, num_output, group


def _output_size(size: int, kernel: int, stride: int, pad: int, dilation: int, deconv: bool) -> int:
    """conv_layer.cpp / deconv_layer.cpp compute_output_shape, in C++ ints."""
    extent = dilation * (kernel - 1) + 1
    if deconv:
        return stride * (size - 1) + extent - 2 * pad
    return cdiv(size + 2 * pad - extent, stride) + 1


def _convolution(layer, bottoms: List[Shape], deconv: bool) -> Shapes:
    p, axis, kernel, stride, pad, dilation, c_in, c_out, group = _conv_setup(layer, bottoms)
    b = bottoms[0]
    out = tuple(_output_size(size, kernel[i], stride[i], pad[i], dilation[i], deconv)
                for i, size in enumerate(b[axis + 1:]))
    top = tuple(b[:axis]) + (c_out,) + out
    # Weights: conv [O, C/g, k...]; deconv [C, O/g, k...] (reverse_dimensions).
    weight = (c_in, cdiv(c_out, group)) if deconv else (c_out, cdiv(c_in, group))
    params = [weight + tuple(kernel)]
    if p.get("bias_term") is not False:
        params.append((c_out,))
    # Each output (conv) / input (deconv) value costs one kernel window per group channel.
    macs = count(b) * weight[1] * count(kernel) if deconv else count(top) * weight[1] * count(kernel)
    return Shapes([top] * len(bottoms), params, macs)


@register("Convolution", "DepthwiseConvolution")   # yonghenglh6's: a BaseConvolutionLayer
def convolution(layer, bottoms: List[Shape]) -> Shapes:
    return _convolution(layer, bottoms, deconv=False)


@register("Deconvolution")
def deconvolution(layer, bottoms: List[Shape]) -> Shapes:
    return _convolution(layer, bottoms, deconv=True)


# --- pooling ------------------------------------------------------------------
def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _pool_params(p, b: Shape):
    has = p.is_set
    if p.get("global_pooling") is True:
        check(not (has("kernel_size") or has("kernel_h") or has("kernel_w")),
              "!(pool_param.has_kernel_size() || pool_param.has_kernel_h() || pool_param.has_kernel_w())",
              "With Global_pooling: true Filter size cannot specified")
    else:
        check((not has("kernel_size")) != (not (has("kernel_h") and has("kernel_w"))),
              "!pool_param.has_kernel_size() != !(pool_param.has_kernel_h() && pool_param.has_kernel_w())",
              "Filter size is kernel_size OR kernel_h and kernel_w; not both")
        check(has("kernel_size") or (has("kernel_h") and has("kernel_w")),
              "pool_param.has_kernel_size() || (pool_param.has_kernel_h() && pool_param.has_kernel_w())",
              "For non-square filters both kernel_h and kernel_w are required.")
    for name, message in (("pad", "pad is pad OR pad_h and pad_w are required."),
                          ("stride", "Stride is stride OR stride_h and stride_w are required.")):
        h, w = has(f"{name}_h"), has(f"{name}_w")
        check((not has(name) and h and w) or (not h and not w),
              f"(!pool_param.has_{name}() && pool_param.has_{name}_h() && pool_param.has_{name}_w()) "
              f"|| (!pool_param.has_{name}_h() && !pool_param.has_{name}_w())", message)
    return _pool_sizes(p, b)


def _pool_sizes(p, b: Shape):
    """(kernel, pad, stride) as (h, w) pairs, with the setup checks."""
    if p.get("global_pooling") is True:
        kernel = (b[2], b[3]) if len(b) == 4 else (0, 0)
    elif p.is_set("kernel_size"):
        kernel = (as_int(p.get("kernel_size")),) * 2
    else:
        kernel = (as_int(p.get("kernel_h")), as_int(p.get("kernel_w")))
    for k, axis in zip(kernel, "hw"):
        check_op(k, ">", 0, f"kernel_{axis}_ > 0", "Filter dimensions cannot be zero.")
    pad = (as_int(p.get("pad_h")), as_int(p.get("pad_w"))) if p.is_set("pad_h") else (as_int(p.get("pad")),) * 2
    stride = ((as_int(p.get("stride_h")), as_int(p.get("stride_w"))) if p.is_set("stride_h")
              else (as_int(p.get("stride"), 1),) * 2)
    if p.get("global_pooling") is True:
        check(pad == (0, 0) and stride == (1, 1),
              "pad_h_ == 0 && pad_w_ == 0 && stride_h_ == 1 && stride_w_ == 1",
              "With Global_pooling: true; only pad = 0 and stride = 1")
    if pad != (0, 0):
        check(str(p.get("pool", "MAX")) in ("MAX", "AVE", "0", "1"),
              "this->layer_param_.pooling_param().pool() == PoolingParameter_PoolMethod_AVE || "
              "this->layer_param_.pooling_param().pool() == PoolingParameter_PoolMethod_MAX",
              "Padding implemented only for average and max pooling.")
        check_op(pad[0], "<", kernel[0], "pad_h_ < kernel_h_")
        check_op(pad[1], "<", kernel[1], "pad_w_ < kernel_w_")
    return kernel, pad, stride


def pooled_size(size: int, kernel: int, pad: int, stride: int, ceil: bool, clip: bool) -> int:
    """One pooled dimension: float32 ceil/floor, then the last-window-in-padding clip."""
    ratio = _f32(_f32(float(size + 2 * pad - kernel)) / _f32(float(stride)))
    out = int(math.ceil(ratio) if ceil else math.floor(ratio)) + 1
    if clip and (out - 1) * stride >= size + pad:
        out -= 1
    return out


@register("Pooling")
def pooling(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "pooling_param")
    b = bottoms[0]
    kernel, pad, stride = _pool_params(p, b)
    check_op(4, "==", len(b), "4 == bottom[0]->num_axes()",
             "Input must have 4 axes, corresponding to (num, channels, height, width)")
    ceil = str(p.get("round_mode", "CEIL")) in ("CEIL", "0")
    if p.is_set("ceil_mode"):   # the forks' older switch (PSPNet, brocolli...): false = FLOOR
        ceil = truthy(p.get("ceil_mode"))
    clip = pad != (0, 0)
    out = [pooled_size(b[2 + i], kernel[i], pad[i], stride[i], ceil, clip) for i in (0, 1)]
    if clip:
        names = (("pooled_height_", "stride_h_", "height_", "pad_h_"),
                 ("pooled_width_", "stride_w_", "width_", "pad_w_"))
        for i, (po, st, sz, pd) in enumerate(names):
            check_op((out[i] - 1) * stride[i], "<", b[2 + i] + pad[i], f"({po} - 1) * {st} < {sz} + {pd}")
    top = (b[0], b[1], out[0], out[1])
    n_tops = len(layer.tops) or 1
    return Shapes([top] * n_tops, [])
