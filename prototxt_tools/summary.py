"""Rows describing each layer of one net state: what ``ptx show`` prints.

Built from the typed view only, as plain dicts, so the text table, the rich
table and ``--json`` all show the same facts.
"""
from __future__ import annotations

from typing import List

from .net import learnable_blob_count

_CONV_TYPES = ("Convolution", "Deconvolution")
_NO_GRADIENT_PARAMS = ("BatchNorm",)  # blobs exist, but Caffe forces lr_mult 0


def layer_rows(layers) -> List[dict]:
    """One row per layer: name, type, bottoms, tops, key params, param specs, in-place."""
    return [_row(layer) for layer in layers]


def _row(layer) -> dict:
    blobs = learnable_blob_count(layer)
    return {
        "index": layer.index,
        "name": layer.name,
        "type": layer.type,
        "line": layer.node.line,
        "bottoms": layer.bottoms,
        "tops": layer.tops,
        "in_place": _in_place(layer),
        "params": key_params(layer),
        "param_blobs": blobs,
        "lr_decay": _lr_decay(layer, blobs),
        "frozen": _is_frozen(layer, blobs),
    }


def _in_place(layer) -> bool:
    bottoms, tops = layer.bottoms, layer.tops
    return any(i < len(bottoms) and bottoms[i] == top for i, top in enumerate(tops))


def _lr_decay(layer, blobs) -> List[List[float]]:
    """[lr_mult, decay_mult] per parameter blob, Caffe's defaults (1, 1) filled in."""
    if not blobs:
        return []
    specs = layer.params
    out = []
    for i in range(blobs):
        if layer.type in _NO_GRADIENT_PARAMS:
            out.append([0.0, 0.0])
        elif i < len(specs):
            out.append([specs[i].lr_mult, specs[i].decay_mult])
        else:
            out.append([1.0, 1.0])
    return out


def is_learnable(layer, blobs=None) -> bool:
    """Has parameter blobs the solver can move (BatchNorm's statistics are not learned)."""
    blobs = learnable_blob_count(layer) if blobs is None else blobs
    return bool(blobs) and layer.type not in _NO_GRADIENT_PARAMS


def _is_frozen(layer, blobs) -> bool:
    if not is_learnable(layer, blobs):
        return False
    return all(lr == 0 for lr, _ in _lr_decay(layer, blobs))


def key_params(layer) -> str:
    """The few parameters a reader looks for first, by layer type."""
    kind = layer.type
    if kind in _CONV_TYPES:
        return _conv_params(layer.typed("convolution_param"))
    if kind == "Pooling":
        return _pool_params(layer.typed("pooling_param"))
    if kind == "InnerProduct":
        return f"num_output={layer.typed('inner_product_param').get('num_output')}"
    if kind in ("Data", "ImageData", "WindowData", "HDF5Data"):
        return _data_params(layer, kind)
    if kind == "Dropout":
        return f"ratio={display_number(layer.typed('dropout_param').get('dropout_ratio'))}"
    if kind == "Input":
        return _input_params(layer)
    return ""


def _conv_params(p) -> str:
    parts = [f"num_output={p.get('num_output')}"]
    kernel = _spatial(p, "kernel_size", "kernel_h", "kernel_w")
    parts.append(f"kernel={kernel}")
    for name, h, w, default in (("stride", "stride_h", "stride_w", 1), ("pad", "pad_h", "pad_w", 0),
                                ("dilation", None, None, 1)):
        value = _spatial(p, name, h, w)
        if value not in ("", str(default)):
            parts.append(f"{name}={value}")
    if p.get("group") not in (None, 1):
        parts.append(f"group={p.get('group')}")
    if p.get("bias_term") is False:
        parts.append("bias_term=false")
    return " ".join(parts)


def _pool_params(p) -> str:
    if p.get("global_pooling"):
        return f"{p.get('pool')} global"
    parts = [str(p.get("pool")), f"kernel={_spatial(p, 'kernel_size', 'kernel_h', 'kernel_w')}"]
    for name, h, w, default in (("stride", "stride_h", "stride_w", "1"), ("pad", "pad_h", "pad_w", "0")):
        value = _spatial(p, name, h, w)
        if value not in ("", default):
            parts.append(f"{name}={value}")
    return " ".join(parts)


def _spatial(p, name, h, w) -> str:
    """``3`` or ``3x5``: from ``name`` (repeated or not) or its ``_h``/``_w`` pair."""
    if h and (p.is_set(h) or p.is_set(w)):
        return f"{display_number(p.get(h))}x{display_number(p.get(w))}"
    values = p.get_all(name)
    if not values:
        default = p.get(name)
        return "" if default is None or isinstance(default, list) else str(display_number(default))
    return "x".join(str(display_number(v)) for v in values)


def _data_params(layer, kind) -> str:
    block = {"Data": "data_param", "ImageData": "image_data_param",
             "WindowData": "window_data_param", "HDF5Data": "hdf5_data_param"}[kind]
    p = layer.typed(block)
    parts = [f"batch_size={p.get('batch_size')}"]
    crop = layer.typed("transform_param").get("crop_size")
    if crop:
        parts.append(f"crop={crop}")
    return " ".join(parts)


def _input_params(layer) -> str:
    shapes = []
    for shape in layer.node.messages("input_param"):
        for blob_shape in shape.messages("shape"):
            shapes.append("x".join(str(d) for d in blob_shape.scalars("dim")))
    return " ".join(shapes)


def display_number(value):
    """1.0 -> 1 for display; other values unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def is_boosted(lr_decay) -> bool:
    """Weights learn faster than the base rate (lr_mult > 1 on the first blob).

    Only the weight blob counts: the usual bias convention (lr_mult 2, decay 0)
    is not a boost, a new head's ``lr_mult: 10`` is."""
    rate = lr_decay[0][0] if lr_decay else None
    return isinstance(rate, (int, float)) and not isinstance(rate, bool) and rate > 1


def totals(rows: List[dict]) -> dict:
    """The summary line: layers, learnable layers, frozen layers."""
    learnable = [r for r in rows if r["param_blobs"] and r["type"] not in _NO_GRADIENT_PARAMS]
    return {"layers": len(rows), "learnable": len(learnable),
            "frozen": sum(1 for r in learnable if r["frozen"])}
