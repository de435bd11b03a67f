"""Scan an HDF5 weights file (``.caffemodel.h5``): layer names and blob shapes, no floats.

Caffe's ``Net::ToHDF5`` writes one group per layer under ``/data`` and one
dataset per owned parameter, named by its index (``/data/conv1/0``); shared
parameters are not written.  Shapes are read from dataset metadata, so a file
of any size is listed without reading its values.  h5py is optional: it is
imported here, only when an HDF5 file is really read, so that commands that
never meet one do not pay its import time.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, List

from ..errors import PtxError
from ..shapes.core import count
from .stored import ModelScan, StoredBlob, StoredLayer

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
INSTALL_HINT = "pip install 'prototxt-tools[hdf5]'"
HDF5 = "hdf5"      # ModelScan.kind of a scan made here


def is_hdf5(buf) -> bool:
    """``H5Fis_hdf5``: the superblock signature at offset 0, 512, 1024, 2048, ... (a user
    block may precede it), which is how Caffe chooses the HDF5 loader."""
    offset = 0
    while offset + len(HDF5_MAGIC) <= len(buf):
        if bytes(buf[offset:offset + len(HDF5_MAGIC)]) == HDF5_MAGIC:
            return True
        offset = 512 if offset == 0 else offset * 2
    return False


def _h5py():
    try:
        import h5py
    except ImportError:
        return None
    return h5py


def scan_hdf5(path: str) -> ModelScan:
    """Every layer group under ``/data`` in name order (the order Caffe visits them);
    PtxError (one line) for a file h5py cannot open or one without a ``/data`` group."""
    h5py = _h5py()
    if h5py is None:
        raise PtxError(f"this is an HDF5 weights file; reading it needs h5py: {INSTALL_HINT}", path)
    with hdf5_errors(path), h5py.File(path, "r") as handle:
        layers = _layers(handle, path, h5py)
    return ModelScan(path, os.path.getsize(path), "", layers, kind=HDF5)


@contextmanager
def hdf5_errors(path: str, what: str = "not a readable HDF5 weights file") -> Iterator[None]:
    """h5py's exceptions inside the block as one line: ``PtxError("<what>: <h5py's words>",
    path)``.  h5py reports corrupt files and dangling links with OSError, KeyError,
    RuntimeError, ValueError...; a PtxError passes through unchanged."""
    try:
        yield
    except PtxError:
        raise
    except Exception as exc:
        raise PtxError(f"{what}: {_one_line(exc)}", path) from None


def read_link(group, name: str, path: str):
    """``group[name]``; what h5py cannot open (a dangling soft link, a missing external
    file...) is a one-line PtxError naming the link."""
    with hdf5_errors(path, f"cannot read {group.name.rstrip('/')}/{name}"):
        return group[name]


def _one_line(exc: Exception) -> str:
    text = exc.args[0] if isinstance(exc, KeyError) and len(exc.args) == 1 else exc
    return " ".join(str(text).split()) or type(exc).__name__


def _layers(handle, path: str, h5py) -> List[StoredLayer]:
    data = handle.get("data")
    if not isinstance(data, h5py.Group):
        raise PtxError("HDF5 file without a /data group, so not Caffe weights (Caffe: Error "
                       f"reading weights from {path})", path)
    return [read_layer(data, name, h5py, path) for name in sorted(data.keys(), key=_name_order)]


def _name_order(name: str) -> bytes:
    """Caffe iterates ``/data`` by the name index (byte order of the UTF-8 names)."""
    return name.encode("utf-8")


def read_layer(data, name: str, h5py, path: str) -> StoredLayer:
    """One layer group of ``data`` (``/data``, or ``/diff`` for surgery), as Caffe reads it."""
    group = read_link(data, name, path)
    if not isinstance(group, h5py.Group):
        raise PtxError(f"{data.name}/{name} is a dataset, not a layer group (Caffe: Error reading "
                       "weights)", path)
    links = tuple(sorted(group.keys(), key=_name_order))
    blobs = []
    for link in links:
        item = read_link(group, link, path)
        if not isinstance(item, h5py.Dataset):
            raise PtxError(f"{group.name}/{link} is not a dataset (Caffe: Failed to get dataset "
                           f"ndims for {link})", path)
        shape = tuple(int(d) for d in item.shape)
        blobs.append(StoredBlob(shape, False, count(shape), 0, 0, dataset=link))
    blobs.sort(key=_param_order)
    return StoredLayer(name, "", blobs, number=0, links=links)


def _param_order(blob: StoredBlob):
    return param_order(blob.dataset)


def param_order(name: str):
    """Parameter datasets by index ("10" after "9"); other names, which Caffe never
    loads but counts, last."""
    return (0, int(name), "") if name.isdigit() else (1, 0, name)
