"""The height and width of a Caffe mean file (``.binaryproto``), read from its header only.

A BlobProto stores ``num/channels/height/width`` (fields 1-4, varints) or
``shape { dim }`` (field 7); the float data (field 5) is skipped by length.
The wire-format walk is the caffemodel scanner's (one decoder in the project).
"""
from __future__ import annotations

from typing import Optional, Tuple

MAX_BYTES = 256 * 1024 * 1024


def mean_size(path: str) -> Optional[Tuple[int, int]]:
    """(height, width) of the mean image, or None when the file is missing or not a BlobProto."""
    from ..wire import LENGTH, VARINT, WireError, fields
    try:
        with open(path, "rb") as fh:
            data = memoryview(fh.read(MAX_BYTES))
        legacy, dims = {}, []
        for f in fields(data):
            if f.number in (1, 2, 3, 4) and f.wire == VARINT:
                legacy[f.number] = f.value
            elif f.number == 7 and f.wire == LENGTH:
                dims = _shape_dims(data, f)
    except (OSError, WireError):
        return None
    if 3 in legacy and 4 in legacy:
        return legacy[3], legacy[4]
    return (dims[-2], dims[-1]) if len(dims) >= 2 else None


def _shape_dims(data, shape_field) -> list:
    """``BlobShape.dim`` (field 1), packed or not."""
    from ..wire import LENGTH, VARINT, fields, read_varint
    dims = []
    for f in fields(data, shape_field.value_start, shape_field.end):
        if f.number == 1 and f.wire == VARINT:
            dims.append(f.value)
        elif f.number == 1 and f.wire == LENGTH:
            pos = f.value_start
            while pos < f.end:
                value, pos = read_varint(data, pos, f.end)
                dims.append(value)
    return dims
