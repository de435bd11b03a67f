"""Pair the layers of two nets: same name first, then renames by type, position and wiring.

A rename is what fine-tuning does to a layer whose weights must *not* be copied
(Caffe copies weights by layer name), so telling "renamed" apart from "removed +
added" is the point: an unmatched layer of B is paired with an unmatched layer of A
of the same type when their bottoms/tops or their position agree.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

Pair = Tuple[Optional[object], Optional[object]]   # (layer of A or None, layer of B or None)


def _keys(layers) -> Dict[tuple, object]:
    """(name, k-th layer with that name) -> layer: TRAIN/TEST data layers often share a name."""
    seen: Dict[str, int] = {}
    out = {}
    for layer in layers:
        k = seen.get(layer.name, 0)
        seen[layer.name] = k + 1
        out[(layer.name, k)] = layer
    return out


def match_layers(layers_a: list, layers_b: list) -> List[Pair]:
    """Pairs in B's order (removed layers of A placed after their predecessor)."""
    keys_a, keys_b = _keys(layers_a), _keys(layers_b)
    partner: Dict[int, object] = {}   # index in B -> layer of A
    for key, layer_b in keys_b.items():
        if key in keys_a:
            partner[layer_b.index] = keys_a[key]
    left_a = [l for l in layers_a if not any(p is l for p in partner.values())]
    left_b = [l for l in layers_b if l.index not in partner]
    for layer_b, layer_a in _renames(left_a, left_b, layers_a, layers_b):
        partner[layer_b.index] = layer_a
    return _ordered(layers_a, layers_b, partner)


def _score(a, b, layers_a, layers_b) -> int:
    if a.type != b.type:
        return -1
    score = 0
    score += 2 if a.bottoms == b.bottoms else 0
    score += 1 if len(a.tops) == len(b.tops) else 0
    score += 2 if a.tops == b.tops else 0
    position_a = a.index / max(1, len(layers_a))
    position_b = b.index / max(1, len(layers_b))
    score += 2 if abs(position_a - position_b) < 0.1 else 0
    return score


def _renames(left_a, left_b, layers_a, layers_b):
    """Greedy best pairs of the same type with enough evidence (score >= 3)."""
    candidates = sorted(((_score(a, b, layers_a, layers_b), -abs(a.index - b.index), i, j)
                         for i, a in enumerate(left_a) for j, b in enumerate(left_b)),
                        reverse=True)
    used_a, used_b, out = set(), set(), []
    for score, _dist, i, j in candidates:
        if score < 3 or i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((left_b[j], left_a[i]))
    return out


def _ordered(layers_a, layers_b, partner) -> List[Pair]:
    matched_a = {id(a) for a in partner.values()}
    pending = [a for a in layers_a if id(a) not in matched_a]
    out: List[Pair] = []
    for layer_b in layers_b:
        layer_a = partner.get(layer_b.index)
        if layer_a is not None:
            while pending and pending[0].index < layer_a.index:
                out.append((pending.pop(0), None))
        out.append((layer_a, layer_b))
    out.extend((a, None) for a in pending)
    return out
