"""``--freeze``, ``--freeze-until``, ``--freeze-fraction``, ``--unfreeze``.

Freezing sets ``lr_mult: 0`` *and* ``decay_mult: 0`` on every parameter blob the
layer really has (caffe_semantics.md §6), so the spec says "frozen" to a reader and
no regularization term is computed for it.  BatchNorm's blobs are running
statistics that move in the TRAIN forward pass whatever lr_mult says, so a frozen
BatchNorm also gets ``use_global_stats: true`` (§2.5).  Every phase copy of a
layer is frozen alike.

Unfreezing gives a frozen blob the multipliers of the BVLC reference models:
weights lr_mult 1 / decay_mult 1, biases lr_mult 2 / decay_mult 0.  A BatchNorm
named in ``--unfreeze`` loses its ``use_global_stats`` (Caffe then picks it by
phase); one reached by a whole-net unfreeze (``fine-tune-all``) keeps it unless
``bn_stats`` is asked for: with fine-tuning batch sizes, recomputed statistics are
noisier than the pretrained ones.
"""
from __future__ import annotations

from typing import List, Tuple

from ..edits.fields import remove_fields, set_path
from ..edits.layout import detect_style
from ..errors import PtxError
from ..listing import short_list
from ..net.blobs import learnable_blob_count
from . import stages
from .base import (TRAIN, EditResult, Pass, layer_list, layers_named, one_layer, require_v2,
                   unchanged)
from .params import ParamValues, current, param_edits, with_shared

FROZEN = {"lr_mult": "0", "decay_mult": "0"}
WEIGHT = {"lr_mult": "1", "decay_mult": "1"}
BIAS = {"lr_mult": "2", "decay_mult": "0"}
_HAS_BIAS = ("Convolution", "Deconvolution", "InnerProduct", "Embed", "Scale")


def blob_count(view, path=None) -> int:
    """Parameter blobs of ``view``; PtxError when it has none or it cannot be known."""
    count = learnable_blob_count(view)
    if count is None:
        count = len(view.params)
    if not count:
        kind = view.type or "untyped"
        why = ("has no parameters" if learnable_blob_count(view) == 0 else
               "has an unknown number of parameter blobs (give its param {} blocks, or use "
               "--lr-mult)")
        raise PtxError(f"cannot freeze layer '{view.name}': a {kind} layer {why}",
                       path, view.node.line, view.node.col)
    return count


def blob_count_or_zero(view) -> int:
    """Like ``blob_count`` but 0 instead of an error (for surveys of a whole net)."""
    count = learnable_blob_count(view)
    return len(view.params) if count is None else count


def run(ptx_file, layers: List[str]) -> EditResult:
    """Freeze the layers named in ``layers`` (all their phase copies)."""
    require_v2(ptx_file)
    views = [v for name in layers for v in layers_named(ptx_file, name)]
    return freeze_views(ptx_file, views)


def freeze_views(ptx_file, views: list) -> EditResult:
    style = detect_style(ptx_file.doc)
    targets = [(v, {i: dict(FROZEN) for i in range(blob_count(v, ptx_file.path))})
               for v in views]
    edits, changed = [], []
    for view, values in with_shared(ptx_file.net, targets):
        own = param_edits(view, values, style)
        if view.type == "BatchNorm":
            own += set_path(view.node, ["batch_norm_param", "use_global_stats"], "true", style)
        if own and view.name not in changed:
            changed.append(view.name)
        edits += own
    if not changed:
        return unchanged(f"already frozen: {_names(views)}")
    return EditResult(edits, [f"frozen: {short_list(changed)} (lr_mult 0, decay_mult 0 on every "
                              f"parameter blob)"])


def _names(views) -> str:
    return short_list(v.name for v in views)


def run_until(ptx_file, layer: str) -> EditResult:
    """Freeze ``layer`` and every learnable layer it depends on (TRAIN graph)."""
    require_v2(ptx_file)
    views = layers_named(ptx_file, layer)
    graph = ptx_file.graph(TRAIN)
    inside = [v for v in views if v in graph] or views
    picked = {}
    for view in inside:
        chain = (graph.upstream(view) + [view]) if view in graph else [view]
        for up in chain:
            if blob_count_or_zero(up):
                picked.setdefault(up.name, up)
    if not picked:
        raise PtxError(f"nothing to freeze: no layer up to '{layer}' has parameters",
                       ptx_file.path)
    return freeze_views(ptx_file, _all_copies(ptx_file, picked))


def run_fraction(ptx_file, fraction: float) -> EditResult:
    """Freeze about ``fraction`` of the learnable layers (counted as ``ptx show`` counts
    them, BatchNorm apart): everything above the stage boundary (``stages``) nearest that
    fraction, so no block is split.  Without a head or a boundary, the first ``fraction``
    in TRAIN graph order, and a note says so."""
    require_v2(ptx_file)
    if not 0 < fraction <= 1:
        raise PtxError(f"--freeze-fraction wants a number in (0, 1], got {fraction}")
    from ..summary import is_learnable
    with_blobs = [v for v in ptx_file.graph(TRAIN).learnable_layers() if blob_count_or_zero(v)]
    names = list(dict.fromkeys(v.name for v in with_blobs if is_learnable(v)))
    target = fraction * len(names)
    if int(target + 1e-9) == 0:
        return unchanged(f"--freeze-fraction {fraction} of {len(names)} learnable "
                         f"layer(s) is none")
    point = _fraction_boundary(ptx_file, names, target)
    if point is None:
        last = names[int(target + 1e-9) - 1]
        cutoff = max(v.index for v in with_blobs if v.name == last)
        picked = {v.name: v for v in with_blobs if v.index <= cutoff}
        result = freeze_views(ptx_file, _all_copies(ptx_file, picked))
        if int(target + 1e-9) < len(names):
            result.notes.append(f"--freeze-fraction {fraction}: no stage boundary found; froze "
                                f"the first {int(target + 1e-9)} of {len(names)} learnable "
                                f"layers in file order")
        return result
    result = run_until(ptx_file, stages.chain_end(ptx_file, point).name)
    frozen = stages.learnable_above(ptx_file, point, names)
    norms = " (and their BatchNorm)" if len(names) < len(with_blobs) else ""
    result.notes.append(f"--freeze-fraction {fraction}: froze {frozen} of {len(names)} learnable "
                        f"layers{norms}, up to the stage boundary '{point.name}'")
    return result


def _fraction_boundary(ptx_file, names: List[str], target: float):
    """The boundary above the main head nearest ``target`` learnable layers; None when
    every layer is to be frozen or the net has no head or boundary."""
    from .heads import main_head
    head = main_head(ptx_file)
    if target >= len(names) - 1e-9 or not head:
        return None
    return stages.nearest(ptx_file, stages.boundaries(ptx_file, head), names, target)


def run_unfreeze(ptx_file, layers: List[str], bn_stats: bool = True) -> EditResult:
    """Unfreeze ``layers``; their BatchNorm layers drop ``use_global_stats`` only with
    ``bn_stats`` (a whole-net unfreeze passes the user's choice).  Only the layers
    whose text changes are reported."""
    require_v2(ptx_file)
    views = [v for name in layers for v in layers_named(ptx_file, name)]
    norms = [v for v in views if v.type == "BatchNorm" and _drop_global_stats(v)]
    edits, unfrozen = _unfreeze_params(ptx_file, [v for v in views if v.type != "BatchNorm"])
    changes = [f"unfrozen: {short_list(unfrozen)} (lr_mult 1, bias 2)"] if unfrozen else []
    notes = []
    if norms and bn_stats:
        edits += [e for v in norms for e in _drop_global_stats(v)]
        changes.append(f"BatchNorm statistics move again (use_global_stats removed): "
                       f"{short_list(v.name for v in norms)}")
    elif norms:
        notes.append(f"{len(set(v.name for v in norms))} BatchNorm layer(s) keep "
                     f"use_global_stats: true; --bn-stats lets training recompute their "
                     f"statistics (wants large batches)")
    if not edits:
        return EditResult(notes=notes + unchanged(f"not frozen: {short_list(layers)}").notes)
    return EditResult(edits, changes, notes)


def _unfreeze_params(ptx_file, views: list) -> Tuple[list, List[str]]:
    """Edits giving every lr_mult-0 blob of ``views`` the reference multipliers, and the
    names of the layers they touch."""
    style = detect_style(ptx_file.doc)
    targets: List[Tuple[object, ParamValues]] = []
    for view in views:
        count = blob_count(view, ptx_file.path)
        targets.append((view, {i: dict(BIAS if i == 1 and view.type in _HAS_BIAS else WEIGHT)
                               for i in range(count) if current(view, i, "lr_mult") == 0}))
    edits, touched = [], []
    for view, values in with_shared(ptx_file.net, targets):
        own = param_edits(view, values, style)
        touched += [view.name] if own else []
        edits += own
    return edits, touched


def _drop_global_stats(view) -> list:
    block = view.node.get("batch_norm_param")
    return remove_fields(block, ["use_global_stats"]) if block is not None else []


def _all_copies(ptx_file, picked: dict) -> list:
    return [v for name in picked for v in layers_named(ptx_file, name)]


def _layers(value, _options) -> dict:
    return {"layers": layer_list(value)}


def _fraction(value, _options) -> dict:
    try:
        return {"fraction": float(value)}
    except ValueError:
        raise PtxError(f"--freeze-fraction wants a number in (0, 1], got {value!r}") from None


FREEZE = Pass("freeze", run, "lr_mult 0 / decay_mult 0 on every param blob", "LAYER[,...]",
              _layers)
FREEZE_UNTIL = Pass("freeze_until", run_until, "freeze LAYER and every learnable layer below",
                    "LAYER", one_layer)
FREEZE_FRACTION = Pass("freeze_fraction", run_fraction,
                       "freeze about F of the learnable layers, up to a stage boundary", "F",
                       _fraction)
UNFREEZE = Pass("unfreeze", run_unfreeze, "undo a freeze (lr 1/2, decay 1/0)", "LAYER[,...]",
                _layers)
