"""Caffe's checks on shared parameters (``param { name: "w" }``), from inferred shapes.

``Net::AppendParam`` (net.cpp:423-515): the first layer to name a param owns
it; a later layer naming it shares it and must agree in shape (STRICT, the
default) or in count (PERMISSIVE), and an ``lr_mult``/``decay_mult`` it writes
must equal the first one written for that param.  A layer whose shapes are
unknown still claims names it owns, but is never compared (no false alarms).
"""
from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

from .core import Shape, count, shape_string
from .infer import OK


CAFFE_FIELD = {"lr_mult": "params_lr_", "decay_mult": "params_weight_decay_"}


class SharingError(NamedTuple):
    """One failed check: the sharing ``layer``, its param ``index``, ``kind`` (shape,
    count, lr_mult, decay_mult) and Caffe's message."""

    layer: object
    index: int
    kind: str
    message: str


class _Owned:
    __slots__ = ("layer", "shape", "mults")

    def __init__(self, layer, shape: Optional[Shape]):
        self.layer = layer
        self.shape = shape
        self.mults: Dict[str, float] = {}    # first explicitly written lr_mult / decay_mult


def _blobs(entry) -> Tuple[int, List[Optional[Shape]]]:
    """How many param blobs the layer has and their shapes (None: unknown)."""
    if entry.status == OK and entry.params:
        return len(entry.params), list(entry.params)
    from ..net import learnable_blob_count
    n = learnable_blob_count(entry.layer)
    n = len(entry.layer.params) if n is None else n
    return n, [None] * n


def sharing_errors(result) -> List[SharingError]:
    """Every shared-param check that fails in ``result`` (a ShapeResult), in layer order."""
    owners: Dict[str, _Owned] = {}
    errors: List[SharingError] = []
    for entry in result.layers:
        layer = entry.layer
        specs = layer.params
        n, shapes = _blobs(entry)
        for i in range(min(n, len(specs))):
            spec = specs[i]
            name = spec.name if isinstance(getattr(spec, "name", ""), str) else ""
            if not name:
                continue
            owned = owners.get(name)
            if owned is None:
                owned = owners[name] = _Owned(layer, shapes[i])
                _record(owned, spec)
                continue
            shape = _compare(owned, shapes[i], spec, name, layer)
            if shape is not None:
                errors.append(SharingError(layer, i, shape[0], shape[1]))
            for field in ("lr_mult", "decay_mult"):
                if not spec.is_set(field) or not isinstance(getattr(spec, field), (int, float)):
                    continue
                value = float(getattr(spec, field))
                first = owned.mults.get(field)
                if first is None:
                    owned.mults[field] = value
                elif value != first:
                    errors.append(SharingError(layer, i, field, (
                        f"Check failed: param_spec->{field}() == {CAFFE_FIELD[field]}"
                        f"[learnable_param_id] ({value:g} vs. {first:g}) "
                        f"Shared param '{name}' has mismatched {field}.")))
    return errors


def _record(owned: _Owned, spec) -> None:
    for field in ("lr_mult", "decay_mult"):
        value = getattr(spec, field)
        if spec.is_set(field) and isinstance(value, (int, float)):
            owned.mults[field] = float(value)


def _compare(owned: _Owned, shape: Optional[Shape], spec, name: str, layer):
    if owned.shape is None or shape is None:
        return None
    head = (f"Cannot share param '{name}' owned by layer '{owned.layer.name}' with layer "
            f"'{layer.name}'")
    if spec.share_mode == "PERMISSIVE":
        if count(shape) == count(owned.shape):
            return None
        return "count", (f"Check failed: this_blob->count() == owner_blob->count() "
                         f"({count(shape)} vs. {count(owned.shape)}) {head}; count mismatch.  "
                         f"Owner layer param shape is {shape_string(owned.shape)}; sharing layer "
                         f"shape is {shape_string(shape)}")
    if tuple(shape) == tuple(owned.shape):
        return None
    return "shape", (f"Check failed: this_blob->shape() == owner_blob->shape() {head}; shape "
                     f"mismatch.  Owner layer param shape is {shape_string(owned.shape)}; sharing "
                     f"layer expects shape {shape_string(shape)}")
