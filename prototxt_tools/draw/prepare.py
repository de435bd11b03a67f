"""Gather what a diagram shows beyond the net itself: which layers start from their filler
(``--base`` diff or ``--weights`` copy preview), blob shapes, lint findings.  Shapes and
lint are extras: when they cannot be computed the diagram is drawn without them."""
from __future__ import annotations

import sys
from typing import Dict, List, Optional, Set

from ..shapes.core import dims_text
from .model import Diagram, build_diagram


def fresh_from_base(ptx_file, base_path: str, schema=None) -> Set[str]:
    from ..api import load
    from ..diff import diff_nets
    base = load(base_path, schema=schema)
    return {d.b for d in diff_nets(base.net, ptx_file.net) if d.fresh}


def fresh_from_weights(ptx_file, weights: str, phase: str) -> Set[str]:
    from ..weights import FILLER, preview_for_file
    preview = preview_for_file(ptx_file, weights, phase)
    return {o.layer for o in preview.outcomes if o.status == FILLER}


def layer_shapes(ptx_file, phase: str) -> Dict[int, List[Optional[str]]]:
    """Layer index -> shape text of each top ("8x3x32x32"); {} when shapes are unknown."""
    try:
        from ..shapes import infer_file
        result = infer_file(ptx_file, phase)
    except Exception as exc:  # noqa: BLE001 - shapes are optional decoration
        print(f"ptx draw: shapes omitted ({exc})", file=sys.stderr)
        return {}
    out = {}
    for item in result.layers:
        out[item.layer.index] = [dims_text(s) if s is not None else None
                                 for s in item.tops]
    return out


def lint_problems(ptx_file) -> list:
    try:
        from ..lint import lint_source
        return [p for p in lint_source(ptx_file.text, ptx_file.path)
                if p.severity in ("error", "warning")]
    except Exception as exc:  # noqa: BLE001 - lint marks are optional decoration
        print(f"ptx draw: lint marks omitted ({exc})", file=sys.stderr)
        return []


def diagram_for(ptx_file, phase: str = "TRAIN", base: Optional[str] = None,
                weights: Optional[str] = None, shapes: bool = True, lint: bool = True,
                stages=(), level: int = 0) -> Diagram:
    graph = ptx_file.graph(phase, level, tuple(stages))
    fresh: Set[str] = set()
    if base:
        fresh |= fresh_from_base(ptx_file, base, ptx_file.schema_path)
    if weights:
        fresh |= fresh_from_weights(ptx_file, weights, phase)
    title = f"{ptx_file.net.name or ptx_file.path} ({phase})"
    return build_diagram(graph, title, fresh, layer_shapes(ptx_file, phase) if shapes else None,
                         lint_problems(ptx_file) if lint else ())
