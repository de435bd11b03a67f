"""Tiny binary files for rule cases: Caffe mean files and caffemodels, as wire bytes.

Built with ptx's own protobuf wire encoders (``prototxt_tools.wire``),
so the rule table needs neither protobuf classes nor Caffe.  Field numbers are
caffe.proto's: BlobProto num/channels/height/width 1-4, data 5, shape 7
(BlobShape.dim 1); LayerParameter name 1, type 2, blobs 7; NetParameter layer 100.
"""
from __future__ import annotations

import struct
from typing import Dict, Sequence

from prototxt_tools.wire import VARINT, encode_key, encode_length_field, encode_varint


def _varint_field(number: int, value: int) -> bytes:
    return encode_key(number, VARINT) + encode_varint(value)


def _bytes_field(number: int, payload: bytes) -> bytes:
    return encode_length_field(number, len(payload)) + payload


def blob(shape: Sequence[int], legacy: bool = False) -> bytes:
    """A BlobProto of zeros: legacy num/channels/height/width (padded to 4) or ``shape { dim }``."""
    count = 1
    for dim in shape:
        count *= dim
    if legacy:
        padded = (1,) * (4 - len(shape)) + tuple(shape)
        head = b"".join(_varint_field(i + 1, d) for i, d in enumerate(padded))
    else:
        head = _bytes_field(7, _bytes_field(1, b"".join(encode_varint(d) for d in shape)))
    return head + _bytes_field(5, struct.pack(f"<{count}f", *([0.0] * count)))


def mean_file(height: int, width: int, legacy: bool = True) -> bytes:
    """A ``.binaryproto`` mean image of 3 channels, as ``compute_image_mean`` writes it."""
    return blob((1, 3, height, width), legacy)


def caffemodel(layers: Dict[str, Sequence[Sequence[int]]], kind: str = "InnerProduct") -> bytes:
    """A NetParameter holding ``name -> blob shapes`` layers (all of type ``kind``)."""
    out = b""
    for name, shapes in layers.items():
        body = _bytes_field(1, name.encode()) + _bytes_field(2, kind.encode())
        body += b"".join(_bytes_field(7, blob(shape)) for shape in shapes)
        out += _bytes_field(100, body)
    return out


__all__ = ["blob", "mean_file", "caffemodel"]
