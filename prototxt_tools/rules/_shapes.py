"""Shared by the PTX5xx rules: shape inference and the weight-copy preview, once per lint.

Results are cached on the lint context, so five shape rules share one
inference per net state.  Nothing here reports; the rule modules decide.
"""
from __future__ import annotations

from typing import Iterator, List, Tuple

from ..graph.state import HINT
from ..shapes.core import dims_text


def shape_results(context) -> List[Tuple[object, object]]:
    """(NetState, ShapeResult) for every state lint builds the net in, with the user's
    ``--input-shape`` shapes (which win over shapes derived from the net)."""
    if "shapes" not in context._cache:
        from ..shapes import infer_shapes
        net = context.the_net
        if net is None or net.format == "mixed":   # Caffe refuses mixed nets outright (PTX007)
            context._cache["shapes"] = []
        else:
            given = context.options.input_shapes or None
            context._cache["shapes"] = [(state, infer_shapes(graph, given))
                                        for state, graph in context.graphs()]
    return context._cache["shapes"]


def shape_errors(context, kinds) -> Iterator[tuple]:
    """(state, ShapeResult, LayerShapes) for layers whose setup fails with one of ``kinds``,
    once per layer and message across states."""
    seen = set()
    for state, result in shape_results(context):
        for entry in result.errors:
            key = (entry.layer.index, entry.error.message)
            if (kinds is None or entry.error.kind in kinds) and key not in seen:
                seen.add(key)
                yield state, result, entry


def bottom_origin(result, layer, index: int) -> str:
    """``'name' (NxCxHxW, from layer 'x')`` for bottom ``index`` of ``layer``."""
    graph = result.graph
    blob = graph.producer(layer, index)
    shape = (result.blobs.get(blob.key) or result.partial.get(blob.key)) if blob is not None else None
    origin = graph.producer_layer(layer, index)
    source = f", from layer '{origin.name}'" if origin is not None else ""
    return f"'{layer.bottoms[index]}' ({dims_text(shape)}{source})"


def with_hint(message: str, hint: str) -> str:
    return f"{message}{HINT}{hint}" if hint else message
