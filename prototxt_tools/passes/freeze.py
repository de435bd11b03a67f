"""``--freeze``, ``--freeze-until``, ``--freeze-fraction``, ``--unfreeze``.

Freezing sets ``lr_mult: 0`` *and* ``decay_mult: 0`` on every parameter blob the
layer really has (caffe_semantics.md §6), so the spec says "frozen" to a reader and
no regularization term is computed for it.  BatchNorm's blobs are running
statistics that move in the TRAIN forward pass whatever lr_mult says, so a frozen
BatchNorm also gets ``use_global_stats: true`` (§2.5).  Every phase copy of a
layer is frozen alike.

Unfreezing gives a frozen blob the multipliers of the BVLC reference models:
weights lr_mult 1 / decay_mult 1, biases lr_mult 2 / decay_mult 0; a BatchNorm
loses its ``use_global_stats`` (Caffe then picks it by phase).
"""
from __future__ import annotations

from typing import List, Tuple

from ..edits.fields import remove_fields, set_path
from ..edits.layout import detect_style
from ..errors import PtxError
from ..net.blobs import learnable_blob_count
from .base import TRAIN, EditResult, Pass, layer_list, layers_named, one_layer, require_v2
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
    changes = [f"frozen: {', '.join(changed)} (lr_mult 0, decay_mult 0 on every parameter "
               f"blob)"] if changed else []
    return EditResult(edits, changes)


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
    """Freeze the first ``fraction`` of the learnable layers, in TRAIN graph order."""
    require_v2(ptx_file)
    if not 0 < fraction <= 1:
        raise PtxError(f"--freeze-fraction wants a number in (0, 1], got {fraction}")
    learnable = [v for v in ptx_file.graph(TRAIN).learnable_layers_reaching_loss()
                 if blob_count_or_zero(v)]
    count = int(fraction * len(learnable) + 1e-9)
    if not count:
        return EditResult(notes=[f"--freeze-fraction {fraction}: {len(learnable)} learnable "
                                 f"layer(s), none frozen"])
    picked = {v.name: v for v in learnable[:count]}
    return freeze_views(ptx_file, _all_copies(ptx_file, picked))


def run_unfreeze(ptx_file, layers: List[str]) -> EditResult:
    require_v2(ptx_file)
    style = detect_style(ptx_file.doc)
    targets: List[Tuple[object, ParamValues]] = []
    edits = []
    for view in (v for name in layers for v in layers_named(ptx_file, name)):
        count = blob_count(view, ptx_file.path)
        if view.type == "BatchNorm":
            edits += _drop_global_stats(view)
            continue
        values = {i: dict(BIAS if i == 1 and view.type in _HAS_BIAS else WEIGHT)
                  for i in range(count) if current(view, i, "lr_mult") == 0}
        targets.append((view, values))
    for view, values in with_shared(ptx_file.net, targets):
        edits += param_edits(view, values, style)
    changes = [f"unfrozen: {', '.join(dict.fromkeys(layers))}"] if edits else []
    return EditResult(edits, changes)


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
                       "freeze the first F of the learnable layers", "F", _fraction)
UNFREEZE = Pass("unfreeze", run_unfreeze, "undo a freeze (lr 1/2, decay 1/0)", "LAYER[,...]",
                _layers)
