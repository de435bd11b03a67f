"""``--num-output LAYER=N``: the output count of a Convolution, Deconvolution,
InnerProduct or Embed layer, set in place (or inserted into its ``*_param``).

Changing it on a layer that keeps its name guarantees Caffe's "Cannot copy param
0 weights ... shape mismatch" when loading pretrained weights (caffe_semantics.md
§10 row 1): the note says so, and ``--replace-head`` does both at once.
"""
from __future__ import annotations

from ..edits.fields import set_path
from ..edits.layout import detect_style
from ..errors import PtxError
from ..net.blobs import WEIGHT_PARAM_BLOCK
from .base import (EditResult, Pass, layers_named, positive_int, require_v2, split_assignment,
                   unchanged)



def run(ptx_file, layer: str, n: int) -> EditResult:
    require_v2(ptx_file)
    if not isinstance(n, int) or n <= 0:
        raise PtxError(f"num_output must be a positive integer, got {n!r}")
    targets = layers_named(ptx_file, layer)
    style = detect_style(ptx_file.doc)
    edits, old_values = [], set()
    for view in targets:
        block = block_name(view, ptx_file.path)
        params = view.node.message(block)
        old_values.add(params.scalar("num_output") if params is not None else None)
        edits += set_path(view.node, [block, "num_output"], str(n), style)
    if not edits:
        return unchanged(f"'{layer}' already has num_output {n}")
    before = ", ".join(str(v) for v in sorted(old_values, key=str))
    notes = [f"'{layer}' keeps its name: pretrained weights for it will not fit "
             f"(Caffe: Cannot copy param 0 weights ... shape mismatch); rename it, or use "
             f"--replace-head"]
    return EditResult(edits, [f"'{layer}': num_output {before} -> {n}"], notes)


def block_name(view, path=None) -> str:
    """The ``*_param`` block holding num_output for this layer's type; PtxError if none."""
    block = WEIGHT_PARAM_BLOCK.get(view.type)
    if block is None:
        raise PtxError(f"layer '{view.name}' is a {view.type or 'layer without type'}, "
                       f"which has no num_output (Convolution, Deconvolution, InnerProduct, "
                       f"Embed have one)", path, view.node.line, view.node.col)
    return block


def _params(value, _options) -> dict:
    layer, n = split_assignment(value, "--num-output")
    return {"layer": layer, "n": positive_int(n, "--num-output")}


NUM_OUTPUT = Pass("num_output", run, "set num_output", "LAYER=N", _params)
