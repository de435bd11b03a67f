"""Layers with learned parameters besides convolution: InnerProduct, Embed, BatchNorm,
Scale, Bias, PReLU, Parameter, LSTM and RNN (§5.3, §5.14-5.16, §5.20, §6)."""
from __future__ import annotations

from typing import List

from .core import Shape, Shapes, as_int, canonical_axis, check_op, count, param, register, truthy


@register("InnerProduct")
def inner_product(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "inner_product_param")
    b = bottoms[0]
    n_out = as_int(p.get("num_output"))
    axis = canonical_axis(as_int(p.get("axis"), 1), b)
    k = count(b, axis)
    weight = (k, n_out) if truthy(p.get("transpose")) else (n_out, k)
    params = [weight] + ([(n_out,)] if p.get("bias_term") is not False else [])
    return Shapes([tuple(b[:axis]) + (n_out,)], params, count(b, 0, axis) * k * n_out)


@register("Embed")
def embed(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "embed_param")
    n_out, k = as_int(p.get("num_output")), as_int(p.get("input_dim"))
    check_op(n_out, ">", 0, "N_ > 0", "EmbedLayer num_output must be positive.")
    check_op(k, ">", 0, "K_ > 0", "EmbedLayer input_dim must be positive.")
    params = [(k, n_out)] + ([(n_out,)] if p.get("bias_term") is not False else [])
    return Shapes([tuple(bottoms[0]) + (n_out,)], params)


@register("BatchNorm")
def batch_norm(layer, bottoms: List[Shape]) -> Shapes:
    b = bottoms[0]
    channels = 1 if len(b) == 1 else b[1]
    return Shapes([b], [(channels,), (channels,), (1,)])


def _learned_shape(p, b: Shape, var: str = "axis") -> Shape:
    """Scale/Bias with one bottom: the blob spans ``num_axes`` axes from ``axis``."""
    axis = canonical_axis(as_int(p.get("axis"), 1), b)
    num_axes = as_int(p.get("num_axes"), 1)
    check_op(num_axes, ">=", -1, "num_axes >= -1",
             "num_axes must be non-negative, or -1 to extend to the end of bottom[0]")
    if num_axes >= 0:
        check_op(len(b), ">=", axis + num_axes, f"bottom[0]->num_axes() >= {var} + num_axes",
                 "scale blob's shape extends past bottom[0]'s shape when applied "
                 f"starting with bottom[0] axis = {axis}")
        return tuple(b[axis:axis + num_axes])
    return tuple(b[axis:])


def _check_second_bottom(p, b: Shape, other: Shape, what: str) -> None:
    axis = 0 if len(other) == 0 else canonical_axis(as_int(p.get("axis"), 1), b)
    var = "axis_" if what == "scale" else "axis"   # the variable names differ in Caffe's sources
    check_op(len(b), ">=", axis + len(other), f"bottom[0]->num_axes() >= {var} + {what}->num_axes()",
             f"{what} blob's shape extends past bottom[0]'s shape when applied "
             f"starting with bottom[0] axis = {axis}")
    for i, dim in enumerate(other):
        check_op(b[axis + i], "==", dim, f"bottom[0]->shape({var} + i) == {what}->shape(i)",
                 f"dimension mismatch between bottom[0]->shape({axis + i}) and {what}->shape({i})")


@register("Scale")
def scale(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "scale_param")
    b = bottoms[0]
    bias = [truthy(p.get("bias_term"))]
    if len(bottoms) > 1:
        _check_second_bottom(p, b, bottoms[1], "scale")
        return Shapes([b], [tuple(bottoms[1])] if bias[0] else [])
    shape = _learned_shape(p, b, "axis_")
    return Shapes([b], [shape, shape] if bias[0] else [shape])


@register("Bias")
def bias(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "bias_param")
    if len(bottoms) > 1:
        _check_second_bottom(p, bottoms[0], bottoms[1], "bias")
        return Shapes([bottoms[0]], [])
    return Shapes([bottoms[0]], [_learned_shape(p, bottoms[0])])


@register("PReLU")
def prelu(layer, bottoms: List[Shape]) -> Shapes:
    b = bottoms[0]
    check_op(len(b), ">=", 2, "bottom[0]->num_axes() >= 2", "Number of axes of bottom blob must be >=2.")
    shared = truthy(param(layer, "prelu_param").get("channel_shared"))
    return Shapes([b], [() if shared else (b[1],)])


@register("Parameter")
def parameter(layer, bottoms: List[Shape]) -> Shapes:
    shape_msg = param(layer, "parameter_param").get("shape")
    dims = tuple(as_int(d) for d in shape_msg.get_all("dim")) if shape_msg is not None else ()
    return Shapes([dims], [dims])


def _recurrent(layer, bottoms: List[Shape], gates: int, n_hidden_state: int):
    p = param(layer, "recurrent_param")
    x, cont = bottoms[0], bottoms[1]
    check_op(len(x), ">=", 2, "bottom[0]->num_axes() >= 2",
             "bottom[0] must have at least 2 axes -- (#timesteps, #streams, ...)")
    t, n = x[0], x[1]
    check_op(2, "==", len(cont), "2 == bottom[1]->num_axes()",
             "bottom[1] must have exactly 2 axes -- (#timesteps, #streams)")
    check_op(t, "==", cont[0], "T_ == bottom[1]->shape(0)")
    check_op(n, "==", cont[1], "N_ == bottom[1]->shape(1)")
    hidden = as_int(p.get("num_output"))
    exposed = n_hidden_state if truthy(p.get("expose_hidden")) else 0
    static = bottoms[2] if len(bottoms) > 2 + exposed else None
    if static is not None:
        check_op(n, "==", static[0], "N_ == bottom[2]->shape(0)")
    tops = [(t, n, hidden)] + [(1, n, hidden)] * exposed
    return tops, hidden, count(x, 2), static


@register("LSTM")
def lstm(layer, bottoms: List[Shape]) -> Shapes:
    tops, h, k, static = _recurrent(layer, bottoms, 4, 2)
    params = [(4 * h, k), (4 * h,)]
    if static is not None:
        params.append((4 * h, count(static, 1)))
    params.append((4 * h, h))
    t, n = tops[0][0], tops[0][1]
    return Shapes(tops, params, t * n * 4 * h * (k + h))


@register("RNN")
def rnn(layer, bottoms: List[Shape]) -> Shapes:
    tops, h, k, static = _recurrent(layer, bottoms, 1, 1)
    params = [(h, k), (h,)]
    if static is not None:
        params.append((h, count(static, 1)))
    params += [(h, h), (h, h), (h,)]
    t, n = tops[0][0], tops[0][1]
    return Shapes(tops, params, t * n * h * (k + 2 * h))
