"""Test helper: fork and Python layers replaced by Input layers of given shapes, so
upstream Caffe can build the rest of a detection net (the heads, the backbone).

``ptx check`` swaps data layers only; a Faster R-CNN test net also has the
``proposal`` Python layer and the ROIPooling fork layer in the middle.  Their tops
become Inputs here; everything below them is built by Caffe as written.
"""
from __future__ import annotations

from typing import Dict, Sequence

import prototxt_tools
from prototxt_tools.edits import TextEdit, apply_edits


def swap_layers(text: str, shapes: Dict[str, Dict[str, Sequence[int]]]) -> str:
    """``shapes``: layer name -> {top: dims}; each such layer becomes an Input layer."""
    net = prototxt_tools.load(text).net
    edits = []
    for layer in net.layers:
        if layer.name in shapes:
            tops = shapes[layer.name]
            body = " ".join(f'top: "{t}"' for t in tops)
            dims = " ".join("shape { " + " ".join(f"dim: {d}" for d in dims) + " }"
                            for dims in tops.values())
            replacement = (f'layer {{ name: "{layer.name}" type: "Input" {body} '
                           f'input_param {{ {dims} }} }}')
            edits.append(TextEdit(layer.field.start, layer.field.end, replacement))
    assert len(edits) == len(shapes), "every layer to swap must exist"
    return apply_edits(text, edits)
