"""Stage boundaries: the layers where a feature map leaves a block, the only sensible
places to cut a net (``early-features``) or to split it into a frozen and a trained
part (``--freeze-fraction``).

A boundary is a residual sum (Eltwise), a Concat or a Pooling that every path from
the input to the head goes through: everything the head depends on is either
above it or below it.  The 1x1 convs of an SE gate, a bottleneck's middle conv, an
Inception branch's pooling or a DenseNet layer's conv are not boundaries (a
parallel path skips them), so a cut or a freeze never splits a block.  A net with no
such layer (a plain stack of InnerProducts) falls back to any layer every path goes
through.  Only the TRAIN graph is read: it is the net that trains.
"""
from __future__ import annotations

from typing import List, Optional

from .base import TRAIN, layers_named

BLOCK_ENDS = ("Eltwise", "Concat", "Pooling")


def boundaries(ptx_file, head: str) -> list:
    """Boundary layers above ``head``, in file order, excluding the one whose output
    the head reads directly (cutting there removes nothing)."""
    graph = ptx_file.graph(TRAIN)
    heads = [v for v in layers_named(ptx_file, head) if v in graph]
    if not heads:
        return []
    feeding = {v.index for v in graph.upstream(heads[0])}
    direct = {v.index for v in _reads(graph, heads[0])}
    above = [v for v in graph.layers() if v.index in feeding and v.index not in direct
             and v.tops and v.bottoms]
    typed = [v for v in above if v.type in BLOCK_ENDS and _splits(graph, v, feeding)]
    return typed or [v for v in above if _splits(graph, v, feeding)]


def _splits(graph, layer, feeding: set) -> bool:
    """True when every layer feeding the head is above ``layer``, is ``layer``, or is
    below it."""
    import networkx as nx
    above = nx.ancestors(graph.graph, layer.index)
    below = nx.descendants(graph.graph, layer.index)
    return not (feeding - above - below - {layer.index})


def _reads(graph, layer) -> list:
    """The in-place chain whose output ``layer``'s first bottom reads."""
    up = graph.producer_layer(layer, 0) if layer.bottoms else None
    return graph.in_place_chain(up, _top_index(up, layer.bottoms[0])) if up is not None else []


def _top_index(layer, name: str) -> int:
    return layer.tops.index(name) if name in layer.tops else 0


def head_input(ptx_file, head: str) -> Optional[object]:
    """The layer whose feature map the head reads: the start of the in-place chain under
    it, walking up through parameter-free single-input layers that are not block ends
    (LRN, Flatten, Dropout), the inverse of ``block_output``."""
    from ..net.blobs import learnable_blob_count
    graph = ptx_file.graph(TRAIN)
    heads = [v for v in layers_named(ptx_file, head) if v in graph]
    chain = _reads(graph, heads[0]) if heads else []
    source = chain[0] if chain else None
    while source is not None and source.type not in BLOCK_ENDS and len(source.bottoms) == 1 \
            and learnable_blob_count(source) == 0:
        chain = _reads(graph, source)
        if not chain:
            break
        source = chain[0]
    return source


def learnable_above(ptx_file, layer, learnable: List[str]) -> int:
    """How many of the ``learnable`` layer names are ``layer`` or above it (TRAIN graph)."""
    graph = ptx_file.graph(TRAIN)
    names = {v.name for v in graph.upstream(layer)} | {layer.name}
    return sum(1 for name in learnable if name in names)


def nearest(ptx_file, candidates: list, learnable: List[str], target: float):
    """The candidate with the count of learnable layers above it nearest ``target``
    (the earlier one on a tie), or None when there is no candidate."""
    best, best_gap = None, None
    for layer in candidates:
        gap = abs(learnable_above(ptx_file, layer, learnable) - target)
        if best_gap is None or gap < best_gap:
            best, best_gap = layer, gap
    return best


def block_output(ptx_file, layer, head: str):
    """``layer``, or the last parameter-free single-input layer after it before anything
    learnable (CaffeNet's LRN after a pooling): the block's output as the next block reads it."""
    from ..net.blobs import learnable_blob_count
    graph = ptx_file.graph(TRAIN)
    current = layer
    while current.tops:
        readers = graph.consumers(chain_end(ptx_file, current), 0)
        if len(readers) != 1 or readers[0].name == head or len(readers[0].bottoms) != 1 \
                or len(readers[0].tops) != 1 or learnable_blob_count(readers[0]) != 0:
            return current
        current = readers[0]
    return current


def chain_end(ptx_file, layer):
    """The last in-place layer rewriting ``layer``'s first top (its ReLU, BatchNorm...)."""
    graph = ptx_file.graph(TRAIN)
    return graph.in_place_chain(layer, 0)[-1] if layer.tops else layer
