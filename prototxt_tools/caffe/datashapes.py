"""Which layers read a dataset, and what shapes their tops would have.

``ptx check`` runs a net without its data: every dataset-reading layer is
replaced by an Input layer, so Caffe needs the shapes those layers would
produce.  They come from the user (``--input-shape``) or from the layer's own
parameters (batch size, crop, resize, MemoryData dims); labels are ``[N]``, except
SSD's AnnotatedData (box rows ``1 x 1 x G x 8``) and the per-pixel labels of
segmentation data layers (SegNet's DenseImageData, DeepLab's ImageSegData,
``label_type: PIXEL``): ``[N, 1, H, W]`` like the image.
What cannot be derived (HDF5 files, Python layers, a Data layer without crop)
is a clear error naming the layer, never a silent guess -- except where the
caller passes ``fallback`` (the oracle tests, which only compare structure).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..errors import PtxError
from ..shapes.core import dims_text
from ..syntax import Message

DATA_TYPES = frozenset(("Data", "ImageData", "HDF5Data", "WindowData", "MemoryData",
                        "AnnotatedData"))
NOT_DATA = frozenset(("Input", "DummyData", "DUMMY_DATA", "dummy_data"))
# SSD's AnnotatedData with boxes (anno_type BBOX, as its create_annoset writes them): labels
# 1 x 1 x G x 8, one row per box of the batch (G >= 1 from the first batch; 1 here), as
# annotated_data_layer.cpp sets them up and DetectionEvaluate checks (num 1, channels 1, width 8).
ANNOTATION_LABELS = (1, 1, 1, 8)
# Fork data layers whose label top holds one label per pixel of the image.
DENSE_LABEL_TYPES = frozenset(("DenseImageData", "ImageSegData"))
# ImageSegData's third top: each image's (height, width).
_IMAGE_DIMS_TOP = {"ImageSegData": (1, 1, 2)}
# Where Caffe reads the size from a file: the shape is not in the prototxt.
_FROM_FILES = {"HDF5Data": "HDF5Data reads it from its .h5 files",
               "Python": "a Python layer sets it in code"}


@dataclass
class DataLayerShapes:
    """The shapes chosen for one data layer's tops, and what was assumed."""

    layer: object                       # prototxt_tools.net.Layer
    shapes: List[Tuple[str, Tuple[int, ...]]]
    labels: List[str] = field(default_factory=list)   # tops that hold class labels
    assumed: List[str] = field(default_factory=list)  # human notes ("3 channels assumed")
    built: bool = True   # False: outside the net state, Caffe drops the layer unbuilt


def is_data_layer(layer) -> bool:
    """A layer with no bottoms that reads examples from disk or from Python code."""
    if layer.bottoms or not layer.tops:
        return False
    kind = layer.type
    if kind in NOT_DATA:
        return False
    if kind in DATA_TYPES or kind == "Python":
        return True
    return kind.upper().endswith("DATA")  # fork layers: DenseImageData, IMAGE_SEG_DATA...


def parse_dims(text: str) -> Tuple[int, ...]:
    """``N,C,H,W`` (or ``NxCxHxW``, any number of dims) -> positive sizes; () when malformed."""
    try:
        shape = tuple(int(d) for d in text.replace("x", ",").split(","))
    except ValueError:
        return ()
    return shape if shape and min(shape) >= 1 else ()


def parse_shape_option(text: str) -> Tuple[str, Tuple[int, ...]]:
    """``NAME=N,C,H,W`` (any number of dims) -> (name, dims); PtxError when malformed."""
    name, sep, dims = text.partition("=")
    shape = parse_dims(dims)
    if not sep or not name.strip() or not shape:
        raise PtxError(f"--input-shape wants NAME=N,C,H,W with positive sizes, got {text!r}")
    return name.strip(), shape


def data_layer_shapes(layer, given: Dict[str, Sequence[int]],
                      fallback: Optional[Sequence[int]] = None,
                      max_batch: Optional[int] = None) -> DataLayerShapes:
    """Shapes for every top of ``layer``: user-given first, then derived, then ``fallback``.

    ``max_batch`` caps the derived batch (training steps only need a tiny one).
    """
    tops = layer.tops
    result = DataLayerShapes(layer, [])
    batch, notes = _batch(layer)
    if max_batch and batch > max_batch:
        notes.append(f"batch of '{tops[0]}' capped at {max_batch} for --train-steps (the layer "
                     f"says {batch}); --input-shape {tops[0]}=N,... sets another")
        batch = max_batch
    first = given.get(tops[0]) or given.get(layer.name)
    if first is None:   # the batch notes are about derived shapes, not the user's
        result.assumed.extend(notes)
        first = _derived_image_shape(layer, batch, result.assumed)
    if first is None and fallback is not None:
        first = (batch,) + tuple(fallback[1:])
        result.assumed.append(f"shape {dims_text(first)} for '{tops[0]}' is a placeholder")
    if first is None:
        raise PtxError(_unknown_message(layer, tops[0]), None, layer.node.line, layer.node.col)
    result.shapes.append((tops[0], tuple(first)))
    for position, top in enumerate(tops[1:], 1):
        shape = given.get(top)
        if shape is None:
            shape = _companion_shape(layer, position, tuple(first))
            result.labels.append(top)
        result.shapes.append((top, tuple(shape)))
    return result


def _companion_shape(layer, position: int, first: Tuple[int, ...]) -> Tuple[int, ...]:
    """The shape of top ``position`` (1: labels) given the image top's shape ``first``."""
    if layer.type == "AnnotatedData":
        return ANNOTATION_LABELS
    if position == 1 and dense_labels(layer) and len(first) == 4:
        return (first[0], 1) + first[2:]
    if position == 2 and layer.type in _IMAGE_DIMS_TOP:
        return (first[0],) + _IMAGE_DIMS_TOP[layer.type]
    return (first[0],)


def dense_labels(layer) -> bool:
    """Whether ``layer``'s second top holds a label per pixel (N x 1 x H x W)."""
    if layer.type in DENSE_LABEL_TYPES:
        return True
    return str(_raw_flag(layer, "label_type")).upper() == "PIXEL"


def _unknown_message(layer, top: str) -> str:
    why = _FROM_FILES.get(layer.type, "no crop_size, new_height/new_width or resize given")
    return (f"cannot derive the shape of '{top}' from {layer.type} layer '{layer.name}' ({why}); "
            f"give it with --input-shape {top}=N,C,H,W")


def _param_blocks(layer) -> List[Message]:
    """transform_param first, then the layer's other ``*_param`` blocks, then the body (V0)."""
    body = layer.body
    blocks = [f.value for f in body.fields
              if f.name.endswith("_param") and isinstance(f.value, Message)]
    blocks.sort(key=lambda m: 0 if m is body.message("transform_param") else 1)
    return blocks + [body]


def _lookup(layer, *names: str):
    for block in _param_blocks(layer):
        for name in names:
            value = block.scalar(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(value)
    return None


def _batch(layer) -> Tuple[int, List[str]]:
    batch = _lookup(layer, "batch_size", "batchsize")
    if batch is None or batch < 1:
        return 1, [f"batch size of '{layer.name}' not given: 1 used"]
    return batch, []


def _derived_image_shape(layer, batch: int, notes: List[str]) -> Optional[Tuple[int, ...]]:
    memory = layer.body.message("memory_data_param")
    if memory is not None:
        dims = [_positive(memory.scalar(n)) for n in ("channels", "height", "width")]
        if all(dims):
            return (batch,) + tuple(dims)
    if layer.type in _FROM_FILES:
        return None
    height_width = _height_width(layer)
    if height_width is None:
        return None
    return (batch, _channels(layer, notes)) + height_width


def _height_width(layer) -> Optional[Tuple[int, int]]:
    crop = _lookup(layer, "crop_size", "cropsize")
    if crop:
        return crop, crop
    crop_h, crop_w = _lookup(layer, "crop_height"), _lookup(layer, "crop_width")
    if crop_h and crop_w:   # forks' rectangular crops (DenseImageData, ImageSegData)
        return crop_h, crop_w
    new_h, new_w = _lookup(layer, "new_height"), _lookup(layer, "new_width")
    if new_h and new_w:
        return new_h, new_w
    transform = layer.body.message("transform_param")
    resize = transform.message("resize_param") if transform is not None else None
    if resize is not None:
        h, w = _positive(resize.scalar("height")), _positive(resize.scalar("width"))
        if h and w:
            return h, w
    return None


def _channels(layer, notes: List[str]) -> int:
    transform = layer.body.message("transform_param")
    if transform is not None and str(transform.scalar("force_gray", "")).lower() == "true":
        return 1
    if str(_raw_flag(layer, "is_color")).lower() == "false":
        return 1
    means = transform.scalars("mean_value") if transform is not None else []
    if len(means) > 1:
        return len(means)
    notes.append(f"3 channels assumed for '{layer.tops[0]}'")
    return 3


def _raw_flag(layer, name: str):
    for block in _param_blocks(layer):
        value = block.scalar(name)
        if value is not None:
            return value
    return None


def _positive(value) -> Optional[int]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 1:
        return int(value)
    return None
