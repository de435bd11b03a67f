"""What a weights file holds, as ptx reads it: layers, their blobs' shapes and byte ranges.

The data types every weights module shares (the binary scanner, the HDF5 reader,
surgery, previews); kept apart from the scanners so each format's reader depends
on them and not on another reader.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

V2_LAYER, V1_LAYERS = 100, 2          # NetParameter field numbers of layer / legacy layers
BINARY = "binary"     # weights_kind / ModelScan.kind of a binary caffemodel


@dataclass
class StoredBlob:
    """One BlobProto: ``shape`` as Caffe's FromProto(reshape) sees it; ``legacy`` when the
    deprecated 4-D fields are present (ShapeEquals then compares right-aligned)."""

    shape: Tuple[int, ...]
    legacy: bool
    values: int                  # data_size() (or double_data_size())
    start: int                   # byte range of the whole blobs field in the file
    end: int
    dataset: str = ""            # HDF5: the dataset's name in its layer group ("0", "1"...)


@dataclass
class StoredLayer:
    name: str
    type: str
    blobs: List[StoredBlob] = field(default_factory=list)
    number: int = V2_LAYER       # 100 (layer) or 2 (legacy layers)
    start: int = 0               # byte range of the whole layer field in the file
    end: int = 0
    links: Tuple[str, ...] = ()  # HDF5: every link in the layer group (Caffe counts them all)

    @property
    def blob_shapes(self) -> List[Tuple[int, ...]]:
        return [blob.shape for blob in self.blobs]


@dataclass
class ModelScan:
    path: str
    size: int
    name: str
    layers: List[StoredLayer]
    kind: str = BINARY           # or "hdf5": which of Caffe's loaders reads the file

    @property
    def format(self) -> str:
        if self.kind != "binary":
            return self.kind
        kinds = {layer.number for layer in self.layers}
        return "v1" if kinds == {V1_LAYERS} else ("mixed" if len(kinds) > 1 else "v2")

    def layer(self, name: str) -> Optional[StoredLayer]:
        return next((layer for layer in self.layers if layer.name == name), None)
