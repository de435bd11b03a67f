"""Region proposal networks alone (py-faster-rcnn's alternating-optimisation RPN
stages, RPN deploy nets): their only learnable outputs are objectness
(``2 x anchors``, reshaped to 2 channels) and box deltas (``4 x anchors``).  Neither
counts classes, so ``--replace-head`` refuses the net, saying so, instead of
treating 18 and 36 as class scores.  (A full Faster R-CNN net is the ``rcnn``
family, tried first: its RPN is left alone there.)
"""
from __future__ import annotations

from typing import Optional

from ..errors import PtxError
from .common import below
from .plan import Classes, Plan
from .scores import find_scores
from .walk import num_output

NAME = "rpn"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    objectness = [h for h in scores.heads if _objectness(scores.graphs, h)]
    if not objectness:
        return None
    head = objectness[0]
    anchors = (num_output(head) or 0) // 2
    raise PtxError(f"this is a region proposal network: '{head.name}' has {num_output(head)} "
                   f"outputs = 2 (object or not) x {anchors} anchors, not classes; it has no "
                   f"class heads to replace (edit the detection net that uses its proposals, "
                   f"or name layers with --head)", ptx_file.path)


def _objectness(graph_list, head) -> bool:
    """Read through a Reshape to 2 channels (``dim: 0 dim: 2 dim: -1 dim: 0``)."""
    for graph in graph_list:
        if head.index not in {l.index for l in graph.layers()}:
            continue
        for layer in below(graph, head, depth=2):
            if layer.type != "Reshape":
                continue
            shape = layer.typed("reshape_param").get("shape")
            dims = shape.get_all("dim") if shape is not None else []
            if len(dims) == 4 and dims[1] == 2 and (num_output(head) or 0) % 2 == 0:
                return True
    return False
