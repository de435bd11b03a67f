"""The height and width of a Caffe mean file (``.binaryproto``), read from its header only.

A BlobProto stores ``num/channels/height/width`` (fields 1-4, varints) or
``shape { dim }`` (field 7); the float data (field 5) is skipped by length.
The wire-format walk is the caffemodel reader's (one decoder in the project).
"""
from __future__ import annotations

from typing import Optional, Tuple

MAX_BYTES = 256 * 1024 * 1024


def mean_size(path: str) -> Optional[Tuple[int, int]]:
    """(height, width) of the mean image, or None when the file is missing or not a BlobProto."""
    from ..caffe.caffemodel import _fields, _Malformed, _varints
    try:
        with open(path, "rb") as fh:
            data = memoryview(fh.read(MAX_BYTES))
        legacy, dims = {}, []
        for number, wire, value in _fields(data):
            if number in (1, 2, 3, 4) and wire == 0:
                legacy[number] = value
            elif number == 7 and wire == 2:
                dims = [v for n, w, packed in _fields(value) if n == 1 and w == 2
                        for v in _varints(packed)]
    except (OSError, _Malformed):
        return None
    if 3 in legacy and 4 in legacy:
        return legacy[3], legacy[4]
    return (dims[-2], dims[-1]) if len(dims) >= 2 else None
