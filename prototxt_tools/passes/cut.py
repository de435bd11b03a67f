"""Cutting a net after an early layer and attaching the head there (``early-features``).

Removed: every layer between the cut point and the head (downstream of the cut
layer's in-place chain, upstream of the head) in any phase, and every layer that
then reads a removed blob (auxiliary classifiers hanging off the removed part,
with their losses).  The head's first bottom is rewired to the cut layer's top.
"""
from __future__ import annotations

from typing import Dict

from ..edits.fields import remove_field, rename_string
from ..edits.layout import detect_style
from ..errors import PtxError
from .base import EditResult, graphs, layers_named
from .heads import main_head


def default_cut(ptx_file) -> str:
    """The middle Convolution of the learnable stack before the head, in TRAIN order."""
    head = main_head(ptx_file)
    convs = [v.name for v in ptx_file.graph("TRAIN").learnable_layers_reaching_loss()
             if v.type == "Convolution" and v.name != head]
    convs = list(dict.fromkeys(convs))
    if not convs:
        raise PtxError("early-features: no Convolution layer before the head; give "
                       "early-features=LAYER", ptx_file.path)
    return convs[(len(convs) - 1) // 2]


def already_cut(ptx_file) -> bool:
    """True when the head reads a Convolution's output directly (a previous cut)."""
    head = main_head(ptx_file)
    graph = ptx_file.graph("TRAIN")
    for view in layers_named(ptx_file, head) if head else []:
        if view in graph and view.bottoms:
            chain = graph.in_place_chain(graph.producer_layer(view, 0), 0) \
                if graph.producer_layer(view, 0) is not None else []
            return bool(chain) and chain[0].type == "Convolution"
    return False


def removed_between(ptx_file, cut: str, head: str) -> Dict[int, object]:
    """Index -> layer for everything the cut removes, over every phase."""
    removed: Dict[int, object] = {}
    for graph in graphs(ptx_file):
        cuts = [v for v in layers_named(ptx_file, cut) if v in graph]
        heads = [v for v in ptx_file.net.layer_by_name(head) if v in graph]
        if not cuts or not heads:
            continue
        keep = {v.index for v in graph.in_place_chain(cuts[0], 0)} | {heads[0].index}
        between = set(l.index for l in graph.downstream(cuts[0]))
        between &= set(l.index for l in graph.upstream(heads[0]))
        for index in between - keep:
            removed[index] = graph.layer(index)
        readers_of_removed(graph, removed, keep)
    return removed


def readers_of_removed(graph, removed: dict, keep: set, provided=frozenset()) -> None:
    """Add to ``removed`` every layer (not in ``keep``) reading a blob written by a
    removed layer, until nothing changes; blobs named in ``provided`` come from
    elsewhere (the Input layer replacing a data layer) and do not count."""
    changed = True
    while changed:
        changed = False
        for layer in graph.layers():
            if layer.index in removed or layer.index in keep:
                continue
            for j, name in enumerate(layer.bottoms):
                up = graph.producer_layer(layer, j)
                if up is not None and up.index in removed and name not in provided:
                    removed[layer.index] = layer
                    changed = True
                    break


def run(ptx_file, cut: str) -> EditResult:
    """Remove what lies between ``cut`` and the main head; the head reads ``cut``'s top."""
    head = main_head(ptx_file)
    if not head:
        raise PtxError("early-features: no classifier head found", ptx_file.path)
    cut_view = layers_named(ptx_file, cut)[0]
    if not cut_view.tops:
        raise PtxError(f"early-features: layer '{cut}' has no top to attach the head to",
                       ptx_file.path)
    removed = removed_between(ptx_file, cut, head)
    style = detect_style(ptx_file.doc)
    edits = [remove_field(layer.field) for layer in removed.values()]
    for view in ptx_file.net.layer_by_name(head):
        if view.bottom_nodes:
            edit = rename_string(view.bottom_nodes[0], cut_view.tops[0], style)
            edits += [edit] if edit else []
    if not edits:
        return EditResult()
    names = ", ".join(dict.fromkeys(l.name for l in sorted(removed.values(),
                                                           key=lambda l: l.index)))
    return EditResult(edits, [f"cut after '{cut}': removed {names or 'nothing'}; "
                              f"'{head}' reads '{cut_view.tops[0]}'"])
