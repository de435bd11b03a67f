"""``--cut-gradient LAYER``: ``propagate_down: false`` on every bottom of the layer.

Caffe wants either no propagate_down or exactly one per bottom ("propagate_down
param must be specified either 0 or bottom_size times"), so existing entries are
set to false and missing ones inserted after them (or after the last bottom).
This stops gradients, not updates: weight decay and momentum still move the
layers below unless they are frozen too (caffe_semantics.md §2.5).
"""
from __future__ import annotations

from ..edits.fields import insert_items
from ..edits.layout import detect_style
from ..errors import PtxError
from ..net.coerce import as_bool
from .base import EditResult, Pass, layers_named, one_layer, require_v2, unchanged

NOTE = ("--cut-gradient stops gradients below '{0}', not updates: weight decay (and "
        "momentum) still change the layers below; freeze them (--freeze-until) to keep "
        "them fixed")


def run(ptx_file, layer: str) -> EditResult:
    require_v2(ptx_file)
    style = detect_style(ptx_file.doc)
    edits = []
    for view in layers_named(ptx_file, layer):
        bottoms = view.node.get_all("bottom")
        if not bottoms:
            raise PtxError(f"layer '{layer}' has no bottoms: there is no gradient to cut",
                           ptx_file.path, view.node.line, view.node.col)
        edits += _edits(view, len(view.bottoms), style)
    if not edits:
        return unchanged(f"'{layer}' already has propagate_down false on every bottom")
    result = EditResult(edits, [f"'{layer}': propagate_down false on every bottom"])
    result.notes.append(NOTE.format(layer))
    return result


def _edits(view, count: int, style) -> list:
    fields = view.node.get_all("propagate_down")
    values = view.node.values("propagate_down")
    edits = []
    from ..edits import TextEdit
    for value in values:
        if as_bool(value.value) is not False:
            edits.append(TextEdit(value.start, value.end, "false"))
    missing = count - len(values)
    if missing > 0:
        anchor = fields[-1] if fields else view.node.get_all("bottom")[-1]
        edits.append(insert_items(view.node, [("propagate_down", "false")] * missing, style,
                                  anchor))
    return edits


CUT_GRADIENT = Pass("cut_gradient", run, "propagate_down false on every bottom", "LAYER",
                    one_layer)
