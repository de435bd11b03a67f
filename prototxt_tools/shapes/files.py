"""Shape inference for a loaded file: the net Caffe would build, and ``--input-shape`` options."""
from __future__ import annotations

from typing import Dict, Iterable, Optional, Sequence, Tuple

from .infer import ShapeResult, infer_shapes


def parse_input_shapes(options: Iterable[str]) -> Dict[str, Tuple[int, ...]]:
    """``["data=1,3,224,224", ...]`` -> ``{"data": (1, 3, 224, 224)}``; PtxError when malformed."""
    from ..caffe.datashapes import parse_shape_option
    return dict(parse_shape_option(option) for option in options or ())


def infer_file(ptx_file, phase: str = "TRAIN", level: int = 0, stages: Sequence[str] = (),
               input_shapes: Optional[Dict[str, Sequence[int]]] = None) -> ShapeResult:
    """Infer shapes of ``ptx_file``'s net in one state.  V0/V1 nets are upgraded first
    (in memory), because Caffe upgrades them before building: rules read V2 fields."""
    from ..upgrade.current import as_current
    graph = as_current(ptx_file).graph(phase, level, tuple(stages))
    return infer_shapes(graph, input_shapes)
