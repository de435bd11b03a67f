"""Semantic differences between two nets, layer by layer, as plain records.

What a fine-tuning review asks: which layers were added, removed or renamed (a
renamed learnable layer starts from its filler: Caffe copies weights by name), which
parameters changed, which layers became frozen or trainable, whose lr_mult changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

from ..summary import layer_rows
from .flatten import flatten
from .match import match_layers

SAME, CHANGED, RENAMED, ADDED, REMOVED = "same", "changed", "renamed", "added", "removed"


@dataclass
class LayerDiff:
    status: str
    a: Optional[str]
    b: Optional[str]
    type: str
    line_a: Optional[int] = None
    line_b: Optional[int] = None
    type_a: Optional[str] = None                     # set when the type changed
    fields: List[Tuple[str, Optional[str], Optional[str]]] = field(default_factory=list)
    wiring: List[Tuple[str, list, list]] = field(default_factory=list)
    lr_a: Optional[list] = None                      # [lr_mult, decay_mult] per blob
    lr_b: Optional[list] = None
    frozen_a: Optional[bool] = None
    frozen_b: Optional[bool] = None
    learnable: bool = False

    @property
    def lr_changed(self) -> bool:
        return self.lr_a is not None and self.lr_b is not None and self.lr_a != self.lr_b

    @property
    def fresh(self) -> bool:
        """In B this layer learns from its filler: added, or renamed (no weights by name)."""
        return self.learnable and self.status in (ADDED, RENAMED)

    @property
    def freeze_change(self) -> Optional[str]:
        if self.frozen_a is None or self.frozen_b is None or self.frozen_a == self.frozen_b:
            return None
        return "frozen" if self.frozen_b else "unfrozen"

    def as_dict(self) -> dict:
        return {"status": self.status, "a": self.a, "b": self.b, "type": self.type,
                "type_a": self.type_a, "line_a": self.line_a, "line_b": self.line_b,
                "fields": [{"field": f, "a": x, "b": y} for f, x, y in self.fields],
                "wiring": [{"field": f, "a": x, "b": y} for f, x, y in self.wiring],
                "lr_decay_a": self.lr_a, "lr_decay_b": self.lr_b,
                "frozen_a": self.frozen_a, "frozen_b": self.frozen_b,
                "freeze_change": self.freeze_change, "lr_changed": self.lr_changed,
                "starts_from_filler": self.fresh}


def diff_nets(net_a, net_b) -> List[LayerDiff]:
    """One LayerDiff per layer of either net, in B's order."""
    return [_pair(a, b) for a, b in match_layers(net_a.layers, net_b.layers)]


def net_field_changes(net_a, net_b) -> List[Tuple[str, Optional[str], Optional[str]]]:
    skip = ("layer", "layers")
    return _field_changes(flatten(net_a.node, skip), flatten(net_b.node, skip))


def _pair(a, b) -> LayerDiff:
    if a is None:
        row = layer_rows([b])[0]
        return LayerDiff(ADDED, None, b.name, b.type, line_b=b.node.line, lr_b=row["lr_decay"],
                         frozen_b=row["frozen"], learnable=bool(row["param_blobs"]))
    if b is None:
        row = layer_rows([a])[0]
        return LayerDiff(REMOVED, a.name, None, a.type, line_a=a.node.line,
                         lr_a=row["lr_decay"], frozen_a=row["frozen"])
    row_a, row_b = layer_rows([a, b])
    out = LayerDiff(SAME, a.name, b.name, b.type, a.node.line, b.node.line,
                    lr_a=row_a["lr_decay"], lr_b=row_b["lr_decay"], frozen_a=row_a["frozen"],
                    frozen_b=row_b["frozen"], learnable=bool(row_b["param_blobs"]))
    if a.type != b.type:
        out.type_a = a.type
    out.fields = _field_changes(flatten(a.body), flatten(b.body))
    out.wiring = [(what, x, y) for what, x, y in (("bottom", a.bottoms, b.bottoms),
                                                  ("top", a.tops, b.tops)) if x != y]
    if a.name != b.name:
        out.status = RENAMED
    elif out.fields or out.wiring or out.type_a or out.lr_changed:
        out.status = CHANGED
    return out


def _field_changes(old: dict, new: dict):
    paths = list(old) + [p for p in new if p not in old]
    return [(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p)]
