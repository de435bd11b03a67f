"""``--strategy NAME`` presets and ``--explain-strategy``: how much of a pretrained net to
fine-tune, by dataset size and similarity to the pretraining data.

Each preset is a sequence of the other passes (``compose.run_steps``):

- ``feature-extractor`` (small, similar data): freeze every learnable layer but the heads;
- ``fine-tune-all`` (large data): unfreeze everything, boost the heads' lr_mult;
  BatchNorm layers keep ``use_global_stats: true`` unless ``bn_stats`` (``--bn-stats``);
- ``early-features[=LAYER]`` (small, different data): cut the net after LAYER (default:
  the middle Convolution of the stack), attach the main head there, freeze up to LAYER;
- ``from-scratch`` (large, different data): rename every learnable layer so no
  pretrained weight is copied (Caffe copies by name), unfreeze everything.

The medium case ("freeze half the conv layers") is ``--freeze-fraction 0.5``.
Combine a preset with ``--replace-head N`` (before it) to get a fresh head.
"""
from __future__ import annotations

from functools import partial
from typing import List, Optional, Sequence

from ..errors import PtxError
from ..listing import short_list
from . import cut, freeze, mults, rename
from .base import (HEAD_LR_MULT, TRAIN, EditResult, Option, Pass, parse_mults, require_v2,
                   unchanged)
from .compose import run_steps
from .heads import find_heads

PRESETS = ("feature-extractor", "fine-tune-all", "early-features", "from-scratch")
SCRATCH_SUFFIX = "_scratch"
TABLE = [
    ("small", "similar", "feature-extractor", "freeze everything but the head"),
    ("medium", "similar", "--freeze-fraction 0.5", "freeze the first half of the layers"),
    ("large", "similar", "fine-tune-all", "train everything, head at 10x/20x lr"),
    ("small", "different", "early-features[=L]", "keep early layers (frozen), new head there"),
    ("large", "different", "from-scratch", "same architecture, no pretrained weight copied"),
]


def run(ptx_file, name: str, layer: Optional[str] = None,
        head_lr_mult: Sequence[float] = (10.0, 20.0), bn_stats: bool = False) -> EditResult:
    require_v2(ptx_file)
    if name not in PRESETS:
        raise PtxError(f"unknown strategy '{name}' (choose from {', '.join(PRESETS)})")
    if layer and name != "early-features":
        raise PtxError(f"strategy '{name}' takes no layer (only early-features=LAYER does)")
    steps = plan(ptx_file, name, layer, head_lr_mult, bn_stats)
    if not steps:
        return unchanged(_why_empty(ptx_file, name))
    result = run_steps(ptx_file, steps)
    if name == "from-scratch":
        result.changes = _scratch_changes(result.changes)
        result.notes += _filler_notes(ptx_file)
    return result


def _scratch_changes(changes: List[str]) -> List[str]:
    """One line for the renames of from-scratch instead of one per learnable layer."""
    renamed = [c.split("'")[1] for c in changes if c.startswith("layer '")]
    others = [c for c in changes if not c.startswith(("layer '", "blob '"))]
    if renamed:
        others.append(f"renamed with suffix {SCRATCH_SUFFIX} (no pretrained weight copied): "
                      f"{short_list(renamed)}")
    return others


def _why_empty(ptx_file, name: str) -> str:
    """Why preset ``name`` has no step on this net."""
    if not _learnable_names(ptx_file):
        return f"{name}: the net has no learnable layer"
    if name == "early-features":
        return (f"early-features: '{cut.main_head_input(ptx_file)}' already feeds the head "
                f"(an earlier cut); give early-features=LAYER to cut elsewhere")
    return f"{name}: no learnable layer but the heads ({', '.join(find_heads(ptx_file))})"


def _filler_notes(ptx_file) -> List[str]:
    """Layers that will start from Caffe's default weight filler (constant 0)."""
    from ..net.blobs import WEIGHT_PARAM_BLOCK as BLOCK
    bare = [v.name for v in ptx_file.net.layers if v.type in BLOCK
            and not (v.node.message(BLOCK[v.type]) or v.node).has("weight_filler")]
    if not bare:
        return []
    return [f"no weight_filler (Caffe's default is constant 0, which trains badly): "
            f"{short_list(bare)}"]


def plan(ptx_file, name: str, layer: Optional[str], head_lr_mult, bn_stats=False) -> list:
    """The steps of preset ``name`` on this net (none: nothing applies)."""
    heads = find_heads(ptx_file)
    learnable = _learnable_names(ptx_file)
    others = [n for n in learnable if n not in heads]
    if name == "feature-extractor":
        return [partial(freeze.run, layers=others)] if others else []
    if name == "fine-tune-all":
        return ([partial(freeze.run_unfreeze, layers=others, bn_stats=bn_stats)]
                if others else []) + \
            [partial(mults.run_fitted, layer=h, values=list(head_lr_mult)) for h in heads]
    if name == "early-features":
        if layer is None and cut.already_cut(ptx_file):
            return []
        point = layer or cut.default_cut(ptx_file)
        return [partial(cut.run, cut=point), partial(freeze.run_until, layer=point)]
    if not learnable:
        return []
    return [partial(freeze.run_unfreeze, layers=learnable)] + \
        [partial(rename.run, old=n, new=n + SCRATCH_SUFFIX, blobs=False)
         for n in learnable if not n.endswith(SCRATCH_SUFFIX)]


def _learnable_names(ptx_file) -> List[str]:
    views = ptx_file.graph(TRAIN).learnable_layers()
    return list(dict.fromkeys(v.name for v in views if freeze.blob_count_or_zero(v)))


def explain(ptx_file) -> str:
    """The preset table, then what each preset would change in this net."""
    require_v2(ptx_file)
    lines = ["data size  similarity  preset                 what it does"]
    lines += [f"{a:<10} {b:<11} {c:<22} {d}" for a, b, c, d in TABLE]
    lines += ["", f"On this net: {_census(ptx_file)}"]
    for name in PRESETS:
        lines.append(f"  {name}: {_preview(ptx_file, name)}")
    fraction = freeze.run_fraction(ptx_file, 0.5)
    lines.append(f"  --freeze-fraction 0.5: {'; '.join(fraction.changes + fraction.notes)}")
    return "\n".join(lines) + "\n"


def _census(ptx_file) -> str:
    """Heads and learnable layers, counted as ``ptx show`` counts them (BatchNorm apart:
    its statistics are not learned, but the presets freeze or free them too)."""
    from ..summary import layer_rows, totals
    rows = layer_rows(ptx_file.graph(TRAIN).layers())
    counts = totals(rows)
    norms = sum(1 for r in rows if r["type"] == "BatchNorm" and r["param_blobs"])
    heads = short_list(find_heads(ptx_file)) or "(none found)"
    extra = f" (and {norms} BatchNorm)" if norms else ""
    return (f"heads {heads}; {counts['learnable']} learnable layers{extra}, "
            f"{counts['frozen']} frozen")


def _preview(ptx_file, name: str) -> str:
    try:
        result = run(ptx_file, name)
    except PtxError as exc:
        return f"not applicable ({exc.message})"
    changes = result.changes
    if len(changes) > 4:
        changes = changes[:3] + [f"... {len(changes) - 3} more"]
    return "; ".join(changes or result.notes)


def _params(value, options) -> dict:
    preset, _, layer = value.partition("=")
    return {"name": preset, "layer": layer or None,
            "head_lr_mult": parse_mults(options.head_lr_mult, "--head-lr-mult"),
            "bn_stats": options.bn_stats}


BN_STATS = Option("--bn-stats", {
    "action": "store_true",
    "help": "with --strategy fine-tune-all: let BatchNorm layers recompute their statistics "
            "(removes use_global_stats: true); off by default, as small fine-tuning batches "
            "give noisy statistics"})
STRATEGY = Pass("strategy", run, "feature-extractor, fine-tune-all, early-features[=LAYER], "
                "from-scratch", "NAME[=LAYER]", _params, (HEAD_LR_MULT, BN_STATS))
