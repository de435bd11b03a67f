"""Setting ``lr_mult``/``decay_mult`` per parameter blob, and keeping shared params consistent.

Spec i of a layer is its i-th ``param {}`` block; blobs without one use Caffe's
defaults (lr_mult 1, decay_mult 1).  A missing block is inserted after the
layer's last ``param {}`` (or after its name/type/bottom/top lines), in the
file's style.  Blobs shared by ParamSpec name must agree on their multipliers
(Caffe: "Shared param 'w' has mismatched lr_mult."), so a change to one named
spec is applied to every spec of that name in the net.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

from ..edits import TextEdit
from ..edits.fields import insert_items, set_scalar
from ..edits.layout import Style

_ANCHORS = ("name", "type", "bottom", "top")
ParamValues = Dict[int, Dict[str, str]]   # blob index -> {field: raw value}


def param_edits(layer, values: ParamValues, style: Style) -> List[TextEdit]:
    """Edits making ``param[i].field == raw`` for every (i, field, raw) of ``values``."""
    blocks = layer.node.messages("param")
    edits: List[TextEdit] = []
    for i in sorted(values):
        if i < len(blocks):
            for name, raw in values[i].items():
                edits += set_scalar(blocks[i], name, raw, style)
    missing = [i for i in range(len(blocks), max(values, default=-1) + 1)]
    if missing:
        items = [("param", list(values.get(i, {"lr_mult": "1"}).items())) for i in missing]
        edits.append(insert_items(layer.node, items, style, _anchor(layer),
                                  style.one_line_params))
    return edits


def _anchor(layer):
    params = layer.node.get_all("param")
    if params:
        return params[-1]
    fields = [f for f in layer.node.fields if f.name in _ANCHORS]
    return fields[-1] if fields else None


def with_shared(net, targets: List[Tuple[object, ParamValues]]) -> List[Tuple[object, ParamValues]]:
    """Add every layer whose ``param { name }`` matches a named spec among ``targets``."""
    by_name: Dict[str, Dict[str, str]] = {}
    for layer, values in targets:
        for i, fields in values.items():
            if i < len(layer.params) and layer.params[i].name:
                by_name.setdefault(layer.params[i].name, {}).update(fields)
    if not by_name:
        return targets
    merged = {id(layer.node): (layer, dict(values)) for layer, values in targets}
    for layer in net.layers:
        for i, spec in enumerate(layer.params):
            if spec.name in by_name:
                entry = merged.setdefault(id(layer.node), (layer, {}))
                entry[1].setdefault(i, {}).update(by_name[spec.name])
    return list(merged.values())


def current(layer, index: int, field: str) -> float:
    """The multiplier in effect for blob ``index`` (Caffe's default 1 when unwritten)."""
    specs = layer.params
    if index < len(specs):
        value = getattr(specs[index], field)
        return value if isinstance(value, float) else 1.0
    return 1.0
