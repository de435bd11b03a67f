"""Minimal reader of binary .caffemodel files: layer names, types and blob shapes.

Reads the protobuf wire format directly and skips blob data (slices of one
buffer, no copies), so large models are listed quickly without protobuf or Caffe.
Field numbers are Caffe's (caffe.proto): NetParameter.layer = 100 (V2) and
.layers = 2 (V1); LayerParameter name 1, type 2, blobs 7; V1LayerParameter
name 4, type 5 (enum), blobs 6; BlobProto num/channels/height/width 1-4, shape 7.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, List, Tuple

from ..errors import PtxError

_V2_LAYER, _V1_LAYERS = 100, 2
_LAYOUT = {_V2_LAYER: (1, 2, 7), _V1_LAYERS: (4, 5, 6)}   # name, type, blobs field numbers


@dataclass
class ModelLayer:
    name: str
    type: str                       # V2 type string, or the V1 enum number as text
    blob_shapes: List[Tuple[int, ...]] = field(default_factory=list)


class _Malformed(ValueError):
    pass


def read_caffemodel(path: str) -> List[ModelLayer]:
    """Every layer stored in the caffemodel, in file order; PtxError when it is not one."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise PtxError(f"cannot read weights: {exc.strerror}", path) from None
    if not data:
        raise PtxError("empty file, not a caffemodel", path)
    try:
        return _layers(memoryview(data))
    except _Malformed as exc:
        raise PtxError(f"not a binary caffemodel ({exc})", path) from None


def _layers(buf) -> List[ModelLayer]:
    out = []
    for number, wire, value in _fields(buf):
        if number in _LAYOUT and wire == 2:
            out.append(_layer(value, *_LAYOUT[number]))
    return out


def _layer(buf, name_no: int, type_no: int, blobs_no: int) -> ModelLayer:
    layer = ModelLayer("", "")
    for number, wire, value in _fields(buf):
        if number == name_no and wire == 2:
            layer.name = bytes(value).decode("utf-8", "replace")
        elif number == type_no:
            layer.type = bytes(value).decode("utf-8", "replace") if wire == 2 else str(value)
        elif number == blobs_no and wire == 2:
            layer.blob_shapes.append(_blob_shape(value))
    return layer


def _blob_shape(buf) -> Tuple[int, ...]:
    legacy = {}
    dims: List[int] = []
    for number, wire, value in _fields(buf):
        if number in (1, 2, 3, 4) and wire == 0:
            legacy[number] = value
        elif number == 7 and wire == 2:
            dims = [v for n, w, v in _fields(value) if n == 1 and w == 0] or _packed(value)
    if dims:
        return tuple(dims)
    return tuple(legacy.get(i, 0) for i in (1, 2, 3, 4)) if legacy else ()


def _packed(shape_buf) -> List[int]:
    for number, wire, value in _fields(shape_buf):
        if number == 1 and wire == 2:
            return list(_varints(value))
    return []


def _fields(buf) -> Iterator[tuple]:
    """(field number, wire type, value) triples; length-delimited values stay memoryviews."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            if pos + length > end:
                raise _Malformed("truncated field")
            value, pos = buf[pos:pos + length], pos + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, pos = bytes(buf[pos:pos + size]), pos + size
        else:
            raise _Malformed(f"unsupported wire type {wire}")
        if number == 0:
            raise _Malformed("field number 0")
        yield number, wire, value


def _varints(buf) -> Iterator[int]:
    pos = 0
    while pos < len(buf):
        value, pos = _varint(buf, pos)
        yield value


def _varint(buf, pos: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise _Malformed("bad varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
