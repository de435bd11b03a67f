"""The diagram of one net state: nodes (layers, in-place layers folded into the layer they
modify, as Netscope does), edges (blobs, with shapes when known) and each node's
fine-tuning status — frozen, trainable, boosted lr, starting from its filler — plus
lint findings.  Output formats (DOT, HTML) only render this."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from ..summary import is_boosted, key_params, layer_rows

FROZEN, TRAINABLE, BOOSTED, FRESH, PLAIN = "frozen", "trainable", "boosted", "fresh", "plain"
STATUS_TEXT = {FROZEN: "frozen (lr_mult 0)", TRAINABLE: "trainable", BOOSTED: "boosted lr (weights lr_mult > 1)",
               FRESH: "starts from its filler (new/renamed)", PLAIN: "no learnable parameters"}


@dataclass
class Node:
    id: str
    name: str
    type: str
    line: int
    status: str = PLAIN
    boosted: bool = False
    folded: List[str] = field(default_factory=list)     # "relu1 (ReLU)" of in-place layers
    params: str = ""
    lr_decay: list = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    top_shapes: List[str] = field(default_factory=list)
    is_input: bool = False


@dataclass
class Edge:
    source: str
    target: str
    blob: str
    shape: Optional[str] = None


@dataclass
class Diagram:
    title: str
    nodes: List[Node]
    edges: List[Edge]


def _status(row, fresh: bool) -> str:
    if not row["param_blobs"] or not row["lr_decay"]:
        return PLAIN
    if fresh:
        return FRESH
    if row["frozen"]:
        return FROZEN
    return BOOSTED if is_boosted(row["lr_decay"]) else TRAINABLE


def _folded_into(graph) -> Dict[int, int]:
    """Index of an in-place layer -> index of the layer whose node shows it."""
    into: Dict[int, int] = {}
    for layer in graph.layers():
        tops, bottoms = layer.tops, layer.bottoms
        if not tops or len(bottoms) != 1 or tops != bottoms[: len(tops)]:
            continue
        source = graph.producer_layer(layer, 0)
        if source is not None:
            into[layer.index] = into.get(source.index, source.index)
    return into


def build_diagram(graph, title: str, fresh_names=(), shapes=None, problems=()) -> Diagram:
    """``fresh_names``: layers starting from their filler; ``shapes``: layer index -> top
    shape strings; ``problems``: Problems (lint) located by line."""
    into = _folded_into(graph)
    nodes: Dict[int, Node] = {}
    rows = {row["index"]: row for row in layer_rows(graph.layers())}
    for layer in graph.layers():
        row = rows[layer.index]
        if layer.index in into:
            nodes[into[layer.index]].folded.append(f"{layer.name} ({layer.type})")
            continue
        node = Node(f"L{layer.index}", layer.name, layer.type, layer.node.line,
                    _status(row, layer.name in fresh_names), params=key_params(layer),
                    lr_decay=row["lr_decay"])
        node.boosted = is_boosted(row["lr_decay"])
        node.top_shapes = [s or "unknown" for s in (shapes or {}).get(layer.index, [])]
        nodes[layer.index] = node
    _attach_problems(graph, nodes, into, problems)
    inputs = [Node(f"I{k}", blob.name, "Input", 0, is_input=True)
              for k, blob in enumerate(graph.inputs) if blob.producer is None]
    edges = _edges(graph, into, inputs, shapes or {})
    used = {edge.source for edge in edges}
    inputs = [node for node in inputs if node.id in used]
    return Diagram(title, inputs + list(nodes.values()), edges)


def _attach_problems(graph, nodes, into, problems) -> None:
    spans = [(layer.node.line, layer.node.end_position[0], into.get(layer.index, layer.index))
             for layer in graph.layers()]
    for problem in problems:
        for first, last, index in spans:
            if first <= problem.line <= last and index in nodes:
                nodes[index].problems.append(f"{problem.code} {problem.message}")
                break


def _edges(graph, into, inputs, shapes) -> List[Edge]:
    input_ids = {node.name: node.id for node in inputs}
    edges, seen = [], set()
    for layer in graph.layers():
        target = f"L{into.get(layer.index, layer.index)}"
        for j in range(len(layer.bottoms)):
            blob = graph.producer(layer, j)
            if blob is None:
                continue
            if blob.producer is None:
                source = input_ids.get(blob.name)
                shape = None
            else:
                source = f"L{into.get(blob.producer, blob.producer)}"
                producer_shapes = shapes.get(blob.producer, [])
                shape = producer_shapes[blob.top_index] if blob.top_index < len(
                    producer_shapes) else None
            if source is None or source == target or (source, target, blob.name) in seen:
                continue
            seen.add((source, target, blob.name))
            edges.append(Edge(source, target, blob.name, shape))
    return edges
