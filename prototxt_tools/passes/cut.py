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
from ..listing import short_list
from ..net.coerce import as_bool
from . import stages
from .base import EditResult, graphs, layers_named, unchanged
from .heads import main_head


def default_cut(ptx_file) -> str:
    """The stage boundary (``stages``) nearest the middle of the learnable layers feeding
    the main head: a cut never lands inside a block."""
    head = main_head(ptx_file)
    if not head:
        raise PtxError("early-features: no classifier head found", ptx_file.path)
    learnable = [v.name for v in ptx_file.graph("TRAIN").learnable_layers() if v.name != head]
    candidates = stages.boundaries(ptx_file, head)
    if not candidates:
        raise PtxError(f"early-features: no stage boundary (residual Eltwise, Concat, "
                       f"Pooling) between the input and '{head}'; give early-features=LAYER",
                       ptx_file.path)
    feeding = _feeding(ptx_file, head)
    inside = [name for name in learnable if name in feeding]
    point = stages.nearest(ptx_file, candidates, inside, len(inside) / 2)
    return stages.block_output(ptx_file, point, head).name


def _feeding(ptx_file, head: str) -> set:
    graph = ptx_file.graph("TRAIN")
    return {v.name for view in layers_named(ptx_file, head) if view in graph
            for v in graph.upstream(view)}


def already_cut(ptx_file) -> bool:
    """True when the main head reads a spatial feature map: a block output (Eltwise,
    Concat, a Pooling that is not global) or a Convolution.  Classifiers read a global
    pooling or an InnerProduct; a fully convolutional head (SqueezeNet's conv10) reads a
    block output as it is, so it counts as cut (early-features=LAYER still cuts it)."""
    head = main_head(ptx_file)
    source = stages.head_input(ptx_file, head) if head else None
    if source is None:
        return False
    if source.type == "Pooling":
        return not _global_pooling(ptx_file, source)
    return source.type in ("Convolution", "Eltwise", "Concat")


def main_head_input(ptx_file) -> str:
    """The name of the layer whose output the main head reads ('' if none)."""
    head = main_head(ptx_file)
    source = stages.head_input(ptx_file, head) if head else None
    return source.name if source is not None else ""


def _global_pooling(ptx_file, layer) -> bool:
    """A pooling to 1x1 (``global_pooling``, or by inferred shape); unknown shapes count as
    global, the usual place of a Pooling right under a classifier."""
    params = layer.node.message("pooling_param")
    if params is not None and as_bool(params.scalar("global_pooling")) is True:
        return True
    from ..shapes import infer_file
    try:
        shape = infer_file(ptx_file, "TRAIN").blobs.get(
            ptx_file.graph("TRAIN").top_blobs(layer)[0].key)
    except PtxError:
        return True
    return shape is None or len(shape) < 4 or shape[2] * shape[3] == 1


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
        return unchanged(f"'{head}' already reads '{cut_view.tops[0]}'")
    names = short_list(l.name for l in sorted(removed.values(), key=lambda l: l.index))
    return EditResult(edits, [f"cut after '{cut}': removed {names or 'nothing'}; "
                              f"'{head}' reads '{cut_view.tops[0]}'"])
