"""The layers ``--to-train`` writes, as items (``[(field, value or items), ...]``).

Data layers read a list (ImageData) or an LMDB (Data).  Their transform matches
what the deploy net was fed: a square input of side S is a ``crop_size: S`` from
images resized to ``resize`` (default: 256 for S from 224 to 256, Caffe's ImageNet
recipe -- resize 256, crop 227 or 224 -- else S * 8/7, the same margin); a non-square
input is a resize to exactly H x W.
Mean: the given file or values, else the ones the net already used, else the
ImageNet BGR means (104, 117, 123) for three channels.  Mirroring and shuffling
are for TRAIN only: a mirrored or shuffled test set measures nothing new.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..edits.fields import number

IMAGENET_BGR_MEAN = (104.0, 117.0, 123.0)
RESIZE = 256


@dataclass
class DataPlan:
    """Everything the two data layers need (one field per decision)."""

    train_source: str
    val_source: str
    shape: Tuple[int, ...]                # N, C, H, W the net is fed
    batch: int = 32
    test_batch: int = 32
    lmdb: bool = False
    root_folder: str = ""
    val_root_folder: Optional[str] = None   # None: the training list's
    resize: Optional[int] = None
    mean_file: Optional[str] = None
    mean_values: Sequence[float] = ()
    scale: Optional[float] = None
    notes: List[str] = field(default_factory=list)

    @property
    def crop(self) -> Optional[int]:
        """Square inputs are cropped; a non-square one is resized to H x W instead."""
        height, width = self.shape[2], self.shape[3]
        return height if height == width else None

    @property
    def resize_to(self) -> Tuple[int, int]:
        if self.crop is None:
            return self.shape[2], self.shape[3]
        side = self.resize or (RESIZE if 224 <= self.crop <= RESIZE else round(self.crop * 8 / 7))
        return side, side


def data_layer(plan: DataPlan, name: str, tops: Sequence[str], phase: str,
               quote) -> list:
    """Items of the ``phase`` data layer (``quote(s)`` quotes a string as the file does)."""
    train = phase == "TRAIN"
    items: list = [("name", quote(name)), ("type", quote("Data" if plan.lmdb else "ImageData"))]
    items += [("top", quote(top)) for top in tops]
    items.append(("include", [("phase", phase)]))
    items.append(("transform_param", _transform(plan, train, quote)))
    source = plan.train_source if train else plan.val_source
    batch = plan.batch if train else plan.test_batch
    if plan.lmdb:
        items.append(("data_param", [("source", quote(source)), ("batch_size", str(batch)),
                                     ("backend", "LMDB")]))
    else:
        root = plan.root_folder if train or plan.val_root_folder is None else plan.val_root_folder
        items.append(("image_data_param", _image_data(plan, source, root, batch, train, quote)))
    return items


def _transform(plan: DataPlan, train: bool, quote) -> list:
    items = [("mirror", "true" if train else "false")]
    if plan.crop is not None:
        items.append(("crop_size", str(plan.crop)))
    if plan.mean_file:
        items.append(("mean_file", quote(plan.mean_file)))
    else:
        items += [("mean_value", number(v)) for v in plan.mean_values]
    if plan.scale is not None:
        items.append(("scale", number(plan.scale)))
    return items


def _image_data(plan: DataPlan, source: str, root: str, batch: int, train: bool,
                quote) -> list:
    items = [("source", quote(source))]
    if root:
        items.append(("root_folder", quote(root)))
    items.append(("batch_size", str(batch)))
    if train:
        items.append(("shuffle", "true"))
    height, width = plan.resize_to
    items += [("new_height", str(height)), ("new_width", str(width))]
    if plan.shape[1] == 1:
        items.append(("is_color", "false"))
    return items


def accuracy_layer(name: str, prediction: str, label: str, top_k: int, quote) -> list:
    items = [("name", quote(name)), ("type", quote("Accuracy")), ("bottom", quote(prediction)),
             ("bottom", quote(label)), ("top", quote(name)), ("include", [("phase", "TEST")])]
    if top_k != 1:
        items.append(("accuracy_param", [("top_k", str(top_k))]))
    return items
