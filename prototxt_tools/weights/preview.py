"""What ``Net::CopyTrainedLayersFrom`` will do with a caffemodel (§3.2), without Caffe.

For every source layer in file order: the first target layer with the same
name (no match: "Ignoring source layer"); the blob count must match; each
blob must pass ``Blob::ShapeEquals`` (legacy num/channels/height/width are
compared right-aligned against a <=4-axis target); the value count must then
equal the target's count.  Target layers no source layer names keep their
filler.  Unlike Caffe, which dies at the first failure, every layer is judged.

An HDF5 file (§3.3) follows other rules: the *last* target layer of a name gets
the weights, a group may hold fewer datasets than the layer has params, a missing
dataset is fine only for a shared param (shared params are not saved), and a
dataset of another shape -- even with the same value count -- stops Caffe with
``Cannot load blob from hdf5; shape mismatch`` (upstream BVLC's hdf5_load_nd_dataset;
the brocolli fork reshaped the param silently instead).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..shapes.core import count, shape_string
from .hdf5 import HDF5

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
        """Caffe aborts here (every failure is fatal in upstream Caffe)."""
        return self.status in FAILURES

    @property
    def fatal(self) -> bool:
        return self.failed


@dataclass
class CopyPreview:
    outcomes: List[CopyOutcome] = field(default_factory=list)

    def of(self, name: str) -> List[CopyOutcome]:
        return [o for o in self.outcomes if o.layer == name]

    @property
    def failures(self) -> List[CopyOutcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def fatal(self) -> List[CopyOutcome]:
        return [o for o in self.outcomes if o.fatal]


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


def judge_hdf5(source, target_shapes: Optional[List[Tuple[int, ...]]],
               target_count: Optional[int], shared: Sequence[bool]) -> Tuple[str, str, Optional[int]]:
    """``CopyTrainedLayersFromHDF5`` for one layer group and its (last) target layer:
    (status, Caffe's message or ours where Caffe says nothing, param index)."""
    name = source.name
    n_target = len(target_shapes) if target_shapes is not None else target_count
    if n_target is None:
        return UNKNOWN, "", None
    if len(source.links) > n_target:
        return COUNT_MISMATCH, (f"Check failed: num_source_params <= target_blobs.size() "
                                f"({len(source.links)} vs. {n_target}) Incompatible number of "
                                f"blobs for layer {name}"), None
    stored = {blob.dataset: blob for blob in source.blobs}
    status = COPIED
    for j in range(n_target):
        blob = stored.get(str(j))
        if blob is None:
            if j < len(shared) and shared[j]:
                continue
            return COUNT_MISMATCH, f"Incompatible number of blobs for layer {name}", j
        if target_shapes is None:
            status = UNKNOWN
        elif tuple(blob.shape) != tuple(target_shapes[j]):
            return _hdf5_shape_mismatch(j, blob.shape, target_shapes[j])
    return status, "", None


def _hdf5_shape_mismatch(j: int, source, target) -> Tuple[str, str, int]:
    """hdf5_load_nd_dataset's CHECK: the dataset must have the param's exact shape."""
    return SHAPE_MISMATCH, ("Check failed: blob_dims == blob->shape() Cannot load blob from "
                            f"hdf5; shape mismatch. Source shape is {shape_string(source)} "
                            f"target shape is {shape_string(target)}"), j


def shared_params(targets) -> dict:
    """layer index -> [param j is shared], as ``Net::AppendParam`` decides: a named param
    seen before in net order is shared (not owned, not saved to HDF5)."""
    seen, shared = set(), {}
    for layer, shapes, n_blobs in targets:
        specs = layer.params
        n = len(shapes) if shapes is not None else (n_blobs or 0)
        flags = []
        # Every named spec, even where the blob count is unknown (n = 0, a fork type): a later
        # layer naming it shares it.
        for j in range(max(n, len(specs))):
            param_name = specs[j].name if j < len(specs) else ""
            flags.append(bool(param_name) and param_name in seen)
            if param_name:
                seen.add(param_name)
        shared[layer.index] = flags
    return shared


def preview_copy(targets, scans) -> CopyPreview:
    """``targets``: (Layer, param shapes or None, blob count or None) in net order;
    ``scans``: ModelScans in the order Caffe loads them (``-weights a,b``: later files
    overwrite earlier ones, but a failure in any file stops Caffe).  Binary files go to
    the first layer of a name, HDF5 files to the last (§2.2)."""
    first_by_name, last_by_name = {}, {}
    for layer, shapes, n_blobs in targets:
        first_by_name.setdefault(layer.name, (layer, shapes, n_blobs))
        last_by_name[layer.name] = (layer, shapes, n_blobs)
    shared = shared_params(targets) if any(scan.kind == HDF5 for scan in scans) else {}
    copied, ignored = {}, []
    for scan in scans:
        by_name = last_by_name if scan.kind == HDF5 else first_by_name
        for source in scan.layers:
            target = by_name.get(source.name)
            if target is None:
                if source.blobs:
                    ignored.append(CopyOutcome(source.name, IGNORED,
                                               f"Ignoring source layer {source.name}", scan.path))
                continue
            layer, shapes, n_blobs = target
            if scan.kind == HDF5:
                status, message, j = judge_hdf5(source, shapes, n_blobs, shared[layer.index])
            else:
                status, message, j = judge_layer(source.name, source.blobs, shapes, n_blobs)
            if status == COPIED and not (shapes or n_blobs):
                continue   # a layer without parameters (data, ReLU...) matched: nothing happens
            if status == COPIED and not source.blobs:
                message = "its params are shared: they hold the owner's weights"
            earlier = copied.get(layer.index)
            if earlier is None or not earlier.failed:
                copied[layer.index] = CopyOutcome(source.name, status, message, scan.path, layer, j)
    preview = CopyPreview()
    for layer, shapes, n_blobs in targets:
        if layer.index in copied:
            preview.outcomes.append(copied[layer.index])
        elif n_blobs or shapes:
            note = _filler_note(layer, first_by_name, last_by_name, {scan.kind for scan in scans})
            preview.outcomes.append(CopyOutcome(layer.name, FILLER, note, "", layer))
    preview.outcomes.extend(ignored)
    return preview


def _filler_note(layer, first_by_name, last_by_name, kinds) -> str:
    first, last = first_by_name[layer.name][0], last_by_name[layer.name][0]
    if first is not layer and kinds - {HDF5}:
        return (f"an earlier layer is also named '{layer.name}' (line {first.node.line}): "
                "Caffe copies into the first one only")
    if last is not layer and HDF5 in kinds:
        return (f"a later layer is also named '{layer.name}' (line {last.node.line}): "
                "Caffe copies HDF5 weights into the last one only")
    return "not in the weights: initialised by its fillers"


def targets_from_shapes(result) -> list:
    """(Layer, param shapes or None, blob count or None) for every layer of a ShapeResult."""
    from ..net.blobs import learnable_blob_count
    from ..shapes.infer import OK
    targets = []
    for entry in result.layers:
        known = entry.status == OK or entry.params_known   # channels suffice (shapes.partial)
        shapes = list(entry.params) if known else None
        n_blobs = len(shapes) if shapes is not None else learnable_blob_count(entry.layer)
        targets.append((entry.layer, shapes, n_blobs))
    return targets
