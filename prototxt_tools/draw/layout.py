"""A small layered layout for the HTML diagram (no Graphviz needed): each node goes one
rank below its lowest input; nodes of a rank sit side by side in file order."""
from __future__ import annotations

from typing import Dict, Tuple

LINE_HEIGHT = 14
CHAR_WIDTH = 6.6
GAP_X, GAP_Y = 30, 46


def node_lines(node) -> list:
    from .dot import node_label
    return node_label(node).split("\n") if not node.is_input else [node.name]


def layout(diagram) -> Dict[str, Tuple[float, float, float, float]]:
    """node id -> (x, y, width, height), top-left corner."""
    rank: Dict[str, int] = {node.id: 0 for node in diagram.nodes}
    incoming: Dict[str, list] = {}
    for edge in diagram.edges:
        incoming.setdefault(edge.target, []).append(edge.source)
    for node in diagram.nodes:   # file order is a topological order in Caffe
        sources = incoming.get(node.id, [])
        if sources:
            rank[node.id] = max(rank.get(s, 0) for s in sources) + 1
    sizes = {}
    for node in diagram.nodes:
        lines = node_lines(node)
        sizes[node.id] = (max(len(line) for line in lines) * CHAR_WIDTH + 20,
                          len(lines) * LINE_HEIGHT + 12)
    rows: Dict[int, list] = {}
    for node in diagram.nodes:
        rows.setdefault(rank[node.id], []).append(node.id)
    widest = max((sum(sizes[n][0] + GAP_X for n in ids) for ids in rows.values()), default=0)
    places, y = {}, 20.0
    for r in sorted(rows):
        ids = rows[r]
        total = sum(sizes[n][0] + GAP_X for n in ids) - GAP_X
        x = 20 + (widest - total) / 2
        height = max(sizes[n][1] for n in ids)
        for n in ids:
            places[n] = (x, y, sizes[n][0], sizes[n][1])
            x += sizes[n][0] + GAP_X
        y += height + GAP_Y
    return places
