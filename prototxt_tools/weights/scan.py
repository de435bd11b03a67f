"""Scan a binary .caffemodel: layer names, types and blob shapes, without decoding floats.

``scan_caffemodel`` reads whatever Caffe's ``CopyTrainedLayersFrom`` would: an HDF5
file (told apart as Caffe does, by ``H5Fis_hdf5``) goes to ``hdf5.scan_hdf5``.

The file is memory-mapped and walked field by field; float payloads are
skipped by their length prefix, so a 550 MB VGG16 is listed in milliseconds
and the resident memory stays small.  Both ``layer`` (field 100, V2) and
legacy ``layers`` (field 2, V1, with V0 ``layer {}`` inside) are read, and
blob shapes come from ``shape`` or the legacy num/channels/height/width.
"""
from __future__ import annotations

import mmap
import os
from typing import List

from ..errors import PtxError
from ..wire import LENGTH, VARINT, Field, WireError, fields, signed32, varints
from .stored import BINARY, V1_LAYERS, V2_LAYER, ModelScan, StoredBlob, StoredLayer

NET_FIELDS = {1, 2, 3, 4, 5, 6, 7, 8, 100}   # NetParameter's field numbers
# (name, type, blobs) field numbers: LayerParameter, V1LayerParameter, V0LayerParameter
V2_LAYOUT, V1_LAYOUT, V0_LAYOUT = (1, 2, 7), (4, 5, 6), (1, 2, 50)
V0_INSIDE_V1 = 1
LEGACY_DIMS = (1, 2, 3, 4)            # BlobProto num, channels, height, width
VALUE_FIELDS = {5: 4, 6: 4, 8: 8, 9: 8}   # data, diff, double_data, double_diff -> bytes each
SHAPE = 7

class MappedFile:
    """A read-only memory map of a whole file (an empty bytes object for an empty file)."""

    def __init__(self, path: str):
        self.path = path
        self._fh = open(path, "rb")
        self.size = os.fstat(self._fh.fileno()).st_size
        self.buf = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ) if self.size else b""

    def close(self) -> None:
        if isinstance(self.buf, mmap.mmap):
            self.buf.close()
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def weights_kind(path: str) -> str:
    """"hdf5" or "binary": which of Caffe's loaders reads ``path``, chosen by content as
    Caffe does (``H5Fis_hdf5``).  The map is closed on return, so h5py may open the file
    next; a directory or an unreadable file is a one-line PtxError."""
    from .hdf5 import HDF5, is_hdf5
    if os.path.isdir(path):
        raise PtxError("is a directory, not a caffemodel", path)
    try:
        with MappedFile(path) as mapped:
            return HDF5 if is_hdf5(mapped.buf) else BINARY
    except OSError as exc:
        raise PtxError(f"cannot read weights: {exc.strerror or exc}", path) from None


def scan_caffemodel(path: str) -> ModelScan:
    """Every layer of the weights file at ``path``, binary or HDF5 (chosen as Caffe does);
    PtxError (one line) when it is neither."""
    from .hdf5 import HDF5, scan_hdf5
    if weights_kind(path) == HDF5:
        return scan_hdf5(path)
    with MappedFile(path) as mapped:
        return scan_buffer(mapped.buf, path)


def scan_buffer(buf, path: str = "<bytes>") -> ModelScan:
    _reject_other_formats(buf, path)
    name, layers = "", []
    try:
        for f in fields(buf):
            if f.number not in NET_FIELDS:
                raise WireError(f"field {f.number} is not part of a NetParameter", f.start)
            if f.number in (V2_LAYER, V1_LAYERS) and f.wire == LENGTH:
                layers.append(_layer(buf, f))
            elif f.number == 1 and f.wire == LENGTH:
                name = _text(buf, f)
    except WireError as exc:
        raise PtxError(f"not a valid caffemodel: {exc}", path) from None
    if not layers:
        raise PtxError("not a valid caffemodel: it holds no layers", path)
    return ModelScan(path, len(buf), name, layers)


def _reject_other_formats(buf, path: str) -> None:
    if len(buf) == 0:
        raise PtxError("empty file, not a caffemodel", path)
    from .hdf5 import is_hdf5
    head = bytes(buf[:64])
    if is_hdf5(buf):
        raise PtxError("this is an HDF5 weights file (.caffemodel.h5), not a binary caffemodel",
                       path)
    text = head.lstrip()
    if text[:1].isalpha() or text[:1] == b"#":
        try:
            text.decode("ascii")
        except UnicodeDecodeError:
            return
        raise PtxError("this is a text file (a .prototxt?), not a binary caffemodel", path)


def _text(buf, f: Field) -> str:
    return bytes(buf[f.value_start:f.end]).decode("utf-8", "replace")


def _layer(buf, outer: Field) -> StoredLayer:
    layout = V2_LAYOUT if outer.number == V2_LAYER else V1_LAYOUT
    layer = StoredLayer("", "", number=outer.number, start=outer.start, end=outer.end)
    for f in fields(buf, outer.value_start, outer.end):
        if outer.number == V1_LAYERS and f.number == V0_INSIDE_V1 and f.wire == LENGTH:
            _read_v0(buf, f, layer)
        elif f.number == layout[0] and f.wire == LENGTH:
            layer.name = _text(buf, f)
        elif f.number == layout[1]:
            layer.type = _text(buf, f) if f.wire == LENGTH else _v1_type(f.value)
        elif f.number == layout[2] and f.wire == LENGTH:
            layer.blobs.append(read_blob(buf, f))
    return layer


def _read_v0(buf, outer: Field, layer: StoredLayer) -> None:
    from ..net.types import v0_type_to_v2
    for f in fields(buf, outer.value_start, outer.end):
        if f.number == V0_LAYOUT[0] and f.wire == LENGTH:
            layer.name = _text(buf, f)
        elif f.number == V0_LAYOUT[1] and f.wire == LENGTH:
            raw = _text(buf, f)
            layer.type = v0_type_to_v2(raw) or raw
        elif f.number == V0_LAYOUT[2] and f.wire == LENGTH:
            layer.blobs.append(read_blob(buf, f))


def _v1_type(number) -> str:
    from ..net.types import v1_type_to_v2
    return v1_type_to_v2(number) or f"V1 type {number}"


def read_blob(buf, outer: Field) -> StoredBlob:
    legacy = {}
    dims: List[int] = []
    values = {4: 0, 8: 0}
    for f in fields(buf, outer.value_start, outer.end):
        if f.number in LEGACY_DIMS and f.wire == VARINT:
            legacy[f.number] = signed32(f.value)
        elif f.number == SHAPE and f.wire == LENGTH:
            dims = _dims(buf, f)
        elif f.number in (5, 8):
            size = VALUE_FIELDS[f.number]
            values[size] += (f.end - f.value_start) // size if f.wire == LENGTH else 1
    if legacy:
        shape = tuple(legacy.get(i, 0) for i in LEGACY_DIMS)
    else:
        shape = tuple(dims)
    return StoredBlob(shape, bool(legacy), values[8] or values[4], outer.start, outer.end)


def _dims(buf, shape_field: Field) -> List[int]:
    dims: List[int] = []
    for f in fields(buf, shape_field.value_start, shape_field.end):
        if f.number == 1 and f.wire == VARINT:
            dims.append(signed32(f.value))
        elif f.number == 1 and f.wire == LENGTH:
            dims.extend(signed32(v) for v in varints(buf, f.value_start, f.end))
    return dims
