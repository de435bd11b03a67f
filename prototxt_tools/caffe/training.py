"""Judge what a few SGD steps did to each learnable layer.

The child reports, per layer, the largest change of each parameter blob.  A
layer is *frozen* when every one of its parameters has ``lr_mult: 0`` (an
absent ``param {}`` means lr_mult 1), so SGD must leave it alone; any other
learnable layer is meant to train, so each of its lr_mult != 0 blobs must
move (weight decay and momentum are off, so only the gradient moves them): a
head whose weights stay at zero while only its bias moves does not train.  BatchNorm is different: its blobs are running statistics that Caffe
updates in the TRAIN forward pass unless ``use_global_stats: true``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

FROZEN, TRAINS, STATISTICS = "frozen", "trains", "statistics"


@dataclass
class LayerTraining:
    name: str
    type: str
    lr_mults: List[float]
    deltas: List[float]            # max |after - before| per parameter blob
    expected: str                  # frozen / trains / statistics
    problem: Optional[str] = None  # why this is wrong, when it is
    updates: List[float] = field(default_factory=list)  # max |last SGD update| per blob

    @property
    def changed(self) -> bool:
        return any(d > 0 for d in self.deltas + self.updates)


def judge_training(net, changes: Dict[str, List[float]], layer_types: Dict[str, str],
                   updates: Optional[Dict[str, List[float]]] = None) -> List[LayerTraining]:
    """One verdict per learnable layer, in the net's order.  ``updates``: each blob's last
    SGD update, which counts as moving where float32 rounding left the values unchanged."""
    views = {}
    for layer in net.layers:
        views.setdefault(layer.name, layer)
    out = []
    for name, deltas in changes.items():
        view = views.get(name)
        kind = layer_types.get(name, view.type if view is not None else "")
        verdict = _judge(name, kind, view, deltas, (updates or {}).get(name, []))
        out.append(verdict)
    return out


def _lr_mults(view, count: int) -> List[float]:
    specs = list(view.params) if view is not None else []
    return [float(specs[i].lr_mult) if i < len(specs) else 1.0 for i in range(count)]


def _judge(name: str, kind: str, view, deltas: List[float], updates: List[float]
           ) -> LayerTraining:
    if kind == "BatchNorm":
        return _judge_batch_norm(name, view, deltas)
    lrs = _lr_mults(view, len(deltas))
    verdict = LayerTraining(name, kind, lrs, deltas, TRAINS if any(lrs) else FROZEN,
                            updates=list(updates))
    if verdict.expected == FROZEN and verdict.changed:
        verdict.problem = "frozen (lr_mult 0 on every param) but its parameters changed"
    moved = [d > 0 or (i < len(updates) and updates[i] > 0) for i, d in enumerate(deltas)]
    # (float32 rounding can swallow a tiny update of a large value: the update still counts)
    still = [i for i, (m, lr) in enumerate(zip(moved, lrs)) if lr and not m]
    if verdict.expected == TRAINS and still:
        verdict.problem = _still_message(still, len([lr for lr in lrs if lr]))
    return verdict


def _still_message(still: List[int], trainable: int) -> str:
    if len(still) == trainable:
        return ("meant to train (lr_mult != 0) but its parameters did not change: "
                "no gradient reaches it")
    blobs = ", ".join(f"param {i}" for i in still)
    return f"meant to train (lr_mult != 0) but {blobs} did not change (the other params did)"


def _judge_batch_norm(name: str, view, deltas: List[float]) -> LayerTraining:
    global_stats = _use_global_stats(view)
    verdict = LayerTraining(name, "BatchNorm", [0.0] * len(deltas), deltas,
                            FROZEN if global_stats else STATISTICS)
    if global_stats and verdict.changed:
        verdict.problem = "use_global_stats is true but its statistics changed"
    return verdict


def _use_global_stats(view) -> bool:
    block = view.node.message("batch_norm_param") if view is not None else None
    value = block.scalar("use_global_stats") if block is not None else None
    return str(value).lower() == "true"
