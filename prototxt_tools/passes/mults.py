"""``--lr-mult LAYER=W[,B]`` and ``--decay-mult LAYER=W[,B]``: W for the weight blob,
B for the second blob (the bias); an omitted B leaves the bias spec as it is."""
from __future__ import annotations

from typing import List

from ..edits.fields import number
from ..edits.layout import detect_style
from ..errors import PtxError
from .base import (EditResult, Pass, layers_named, parse_mults, require_v2, split_assignment,
                   unchanged)
from .freeze import blob_count
from .params import current, param_edits, with_shared


def run(ptx_file, layer: str, values: List[float], field: str = "lr_mult") -> EditResult:
    require_v2(ptx_file)
    views = layers_named(ptx_file, layer)
    style = detect_style(ptx_file.doc)
    targets = []
    for view in views:
        count = blob_count(view, ptx_file.path)
        if len(values) > count:
            raise PtxError(f"layer '{layer}' has {count} parameter blob(s); {len(values)} "
                           f"{field} values given (Caffe: Too many params specified)",
                           ptx_file.path, view.node.line, view.node.col)
        targets.append((view, {i: {field: number(v)} for i, v in enumerate(values)}))
    edits = []
    for view, spec in with_shared(ptx_file.net, targets):
        edits += param_edits(view, spec, style)
    shown = ",".join(number(v) for v in values)
    if not edits:
        return unchanged(f"'{layer}' already has {field} {shown}")
    return EditResult(edits, [f"'{layer}': {field} {shown}"])


def run_decay(ptx_file, layer: str, values: List[float]) -> EditResult:
    return run(ptx_file, layer, values, "decay_mult")


def run_fitted(ptx_file, layer: str, values: List[float]) -> EditResult:
    """``run`` with ``values`` cut to the blobs ``layer`` has (a head without bias takes W)."""
    count = blob_count(layers_named(ptx_file, layer)[0], ptx_file.path)
    return run(ptx_file, layer, values[:count])


def run_head(ptx_file, layer: str, values: List[float]) -> EditResult:
    """A new head's multipliers: ``run_fitted``'s lr_mult, and ``decay_mult: 0`` on the
    bias as the BVLC reference classifiers write it (decay pulling a fresh bias to 0
    buys nothing).  One edit of each param block, so it combines with other steps."""
    views = layers_named(ptx_file, layer)
    count = blob_count(views[0], ptx_file.path)
    rates = {i: {"lr_mult": number(v)} for i, v in enumerate(values[:count])}
    moved = count > 1 and any(current(v, 1, "decay_mult") != 0 for v in views)
    decay = {1: {"decay_mult": "0"}} if moved else {}
    shown = ",".join(number(v) for v in values[:count])
    said = [f"lr_mult {shown}"] if _edits(ptx_file, views, rates) else []
    said += ["bias decay_mult 0"] if decay and _edits(ptx_file, views, decay) else []
    spec = {i: {**rates.get(i, {}), **decay.get(i, {})} for i in sorted(set(rates) | set(decay))}
    edits = _edits(ptx_file, views, spec)
    if not edits:
        return unchanged(f"'{layer}' already has lr_mult {shown}" +
                         (" and bias decay_mult 0" if count > 1 else ""))
    return EditResult(edits, [f"'{layer}': {', '.join(said)}"])


def _edits(ptx_file, views: list, spec) -> list:
    style = detect_style(ptx_file.doc)
    return [e for view, own in with_shared(ptx_file.net, [(v, spec) for v in views])
            for e in param_edits(view, own, style)]


def _params(flag: str):
    def params(value, _options) -> dict:
        layer, values = split_assignment(value, flag)
        return {"layer": layer, "values": parse_mults(values, flag)}
    return params


LR_MULT = Pass("lr_mult", run, "set lr_mult of the weights (and bias)", "LAYER=W[,B]",
               _params("--lr-mult"))
DECAY_MULT = Pass("decay_mult", run_decay, "set decay_mult of the weights (and bias)",
                  "LAYER=W[,B]", _params("--decay-mult"))
