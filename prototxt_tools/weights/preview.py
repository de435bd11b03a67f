"""What ``Net::CopyTrainedLayersFrom`` will do with a caffemodel (§3.2), without Caffe.

For every source layer in file order: the first target layer with the same
name (no match: "Ignoring source layer"); the blob count must match; each
blob must pass ``Blob::ShapeEquals`` (legacy num/channels/height/width are
compared right-aligned against a <=4-axis target); the value count must then
equal the target's count.  Target layers no source layer names keep their
filler.  Unlike Caffe, which dies at the first failure, every layer is judged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..shapes.core import count, shape_string

COPIED, FILLER, COUNT_MISMATCH, SHAPE_MISMATCH, VALUES_MISMATCH, UNKNOWN, IGNORED = (
    "copied", "filler", "blob-count", "shape", "value-count", "unknown", "ignored")
FAILURES = (COUNT_MISMATCH, SHAPE_MISMATCH, VALUES_MISMATCH)
RENAME_HINT = ("To learn this layer's parameters from scratch rather than copying from a "
               "saved net, rename the layer.")


@dataclass
class CopyOutcome:
    """One layer's fate: ``status`` (see constants), Caffe's message for failures, the file."""

    layer: str
    status: str
    message: str = ""
    weights: str = ""
    target_layer: object = None          # the net's Layer (None for ignored source layers)
    blob_index: Optional[int] = None

    @property
    def failed(self) -> bool:
        return self.status in FAILURES


@dataclass
class CopyPreview:
    outcomes: List[CopyOutcome] = field(default_factory=list)

    def of(self, name: str) -> List[CopyOutcome]:
        return [o for o in self.outcomes if o.layer == name]

    @property
    def failures(self) -> List[CopyOutcome]:
        return [o for o in self.outcomes if o.failed]


def legacy_shape(shape: Sequence[int], index: int) -> int:
    """``Blob::LegacyShape``: axes counted from the end; missing leading axes are 1."""
    return shape[index] if -len(shape) <= index < 0 else 1


def shape_equals(target: Sequence[int], blob) -> bool:
    """``Blob::ShapeEquals(BlobProto)``."""
    if blob.legacy:
        return len(target) <= 4 and tuple(legacy_shape(target, i) for i in (-4, -3, -2, -1)) == blob.shape
    return tuple(target) == tuple(blob.shape)


def judge_layer(name: str, source_blobs, target_shapes: Optional[List[Tuple[int, ...]]],
                target_count: Optional[int]) -> Tuple[str, str, Optional[int]]:
    """(status, Caffe's message, blob index) for one matched source/target pair."""
    n_target = len(target_shapes) if target_shapes is not None else target_count
    if n_target is None:
        return UNKNOWN, "", None
    if n_target != len(source_blobs):
        return COUNT_MISMATCH, (f"Check failed: target_blobs.size() == source_layer.blobs_size() "
                                f"({n_target} vs. {len(source_blobs)}) Incompatible number of blobs "
                                f"for layer {name}"), None
    if target_shapes is None:
        return UNKNOWN, "", None
    for j, (target, blob) in enumerate(zip(target_shapes, source_blobs)):
        if not shape_equals(target, blob):
            return SHAPE_MISMATCH, (
                f"Cannot copy param {j} weights from layer '{name}'; shape mismatch.  Source param "
                f"shape is {shape_string(blob.shape)}; target param shape is {shape_string(target)}. "
                f"{RENAME_HINT}"), j
        if blob.values != count(target):
            return VALUES_MISMATCH, f"Check failed: count_ == proto.data_size() ({count(target)} vs. {blob.values})", j
    return COPIED, "", None


def preview_copy(targets, scans) -> CopyPreview:
    """``targets``: (Layer, param shapes or None, blob count or None) in net order;
    ``scans``: ModelScans in the order Caffe loads them (``-weights a,b``: later files
    overwrite earlier ones, but a failure in any file stops Caffe)."""
    first_by_name = {}
    for layer, shapes, n_blobs in targets:
        first_by_name.setdefault(layer.name, (layer, shapes, n_blobs))
    copied, ignored = {}, []
    for scan in scans:
        for source in scan.layers:
            target = first_by_name.get(source.name)
            if target is None:
                if source.blobs:
                    ignored.append(CopyOutcome(source.name, IGNORED,
                                               f"Ignoring source layer {source.name}", scan.path))
                continue
            layer, shapes, n_blobs = target
            status, message, j = judge_layer(source.name, source.blobs, shapes, n_blobs)
            if not source.blobs and status == COPIED:
                continue   # a layer without parameters (data, ReLU...) matched: nothing happens
            earlier = copied.get(layer.index)
            if earlier is None or not earlier.failed:
                copied[layer.index] = CopyOutcome(source.name, status, message, scan.path, layer, j)
    preview = CopyPreview()
    for layer, shapes, n_blobs in targets:
        if layer.index in copied:
            preview.outcomes.append(copied[layer.index])
        elif n_blobs or shapes:
            preview.outcomes.append(CopyOutcome(layer.name, FILLER, _filler_note(layer, first_by_name),
                                                "", layer))
    preview.outcomes.extend(ignored)
    return preview


def _filler_note(layer, first_by_name) -> str:
    first = first_by_name[layer.name][0]
    if first is not layer:
        return (f"an earlier layer is also named '{layer.name}' (line {first.node.line}): "
                "Caffe copies into the first one only")
    return "not in the weights: initialised by its fillers"


def targets_from_shapes(result) -> list:
    """(Layer, param shapes or None, blob count or None) for every layer of a ShapeResult."""
    from ..net.blobs import learnable_blob_count
    from ..shapes.infer import OK
    targets = []
    for entry in result.layers:
        shapes = list(entry.params) if entry.status == OK else None
        n_blobs = len(shapes) if shapes is not None else learnable_blob_count(entry.layer)
        targets.append((entry.layer, shapes, n_blobs))
    return targets
