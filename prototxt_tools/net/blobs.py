"""How many learnable blobs a layer will create (caffe_semantics.md §6).

Needed before Caffe runs: ``param {}`` count checks, weight-copy previews and
freezing all compare against this number.  Defaults that change the count
(``bias_term``) are Caffe's own, applied here so the answer does not depend
on a schema being loaded.
"""
from __future__ import annotations

from typing import Optional

from .coerce import as_bool
from .kind import V0

WEIGHT_PARAM_BLOCK = {  # types with weights (+ bias_term) -> their *_param block
    "Convolution": "convolution_param", "Deconvolution": "convolution_param",
    "InnerProduct": "inner_product_param", "Embed": "embed_param"}
_FIXED = {"BatchNorm": 3, "PReLU": 1, "Parameter": 1, "Normalize": 1}
_NO_BLOBS = frozenset((
    "AbsVal", "Accuracy", "ArgMax", "BNLL", "BatchReindex", "Clip", "Concat", "ContrastiveLoss",
    "Crop", "Data", "Dropout", "DummyData", "ELU", "Eltwise", "EuclideanLoss", "Exp", "Filter",
    "Flatten", "HDF5Data", "HDF5Output", "HingeLoss", "Im2col", "ImageData", "InfogainLoss",
    "Input", "LRN", "LSTMUnit", "Log", "MVN", "MemoryData", "MultinomialLogisticLoss", "Pooling",
    "Power", "ReLU", "Reduction", "Reshape", "SPP", "Sigmoid", "SigmoidCrossEntropyLoss",
    "Silence", "Slice", "Softmax", "SoftmaxWithLoss", "Split", "Swish", "TanH", "Threshold",
    "Tile", "WindowData"))


def _flag(layer, param_field: str, name: str, default: bool) -> bool:
    """A bool field of a ``*_param`` block; Caffe's default when unset or unreadable."""
    if layer.format == V0:
        param_field, name = "", {"bias_term": "biasterm"}.get(name, name)
    value = as_bool(layer.typed(param_field).get(name))
    return value if isinstance(value, bool) else default


def _recurrent(layer, own_blobs: int, hidden_states: int) -> int:
    """LSTM/RNN: one more blob when a static input bottom is present (recurrent_layer.cpp)."""
    exposed = hidden_states if _flag(layer, "recurrent_param", "expose_hidden", False) else 0
    static_input = len(layer.bottoms) > 2 + exposed
    return own_blobs + (1 if static_input else 0)


def learnable_blob_count(layer) -> Optional[int]:
    """Number of learnable blobs Caffe creates for ``layer``; None when unknowable (Python, forks)."""
    kind = layer.type
    if kind in WEIGHT_PARAM_BLOCK:
        return 1 + _flag(layer, WEIGHT_PARAM_BLOCK[kind], "bias_term", True)
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "Scale":
        weight = 1 if len(layer.bottoms) == 1 else 0
        return weight + _flag(layer, "scale_param", "bias_term", False)
    if kind == "Bias":
        return 1 if len(layer.bottoms) == 1 else 0
    if kind == "LSTM":
        return _recurrent(layer, 3, 2)
    if kind == "RNN":
        return _recurrent(layer, 5, 1)
    if kind in _NO_BLOBS:
        return 0
    return None
