"""Replace dataset-reading layers by Input layers, as text edits on the user's net.

Caffe then builds the net without any dataset.  The replacement keeps the
layer's name, tops and include/exclude rules (so Caffe's phase filtering and
its messages still name the user's layers) and keeps the line count of the
file, so line numbers Caffe's parser reports still point at the user's text.

Per format: V2 gets ``type: "Input"``; V1 has no Input type, so it gets
``DUMMY_DATA`` with shapes; V0 has neither (nor phases), so the layer becomes
net-level ``input:``/``input_dim:`` fields, which Caffe turns into an Input layer.
A Caffe older than the Input layer (2016; forks such as caffe-fast-rcnn and SegNet's) gets
net-level ``input:``/``input_shape`` fields for V2 nets too (``net_inputs``), the way deploy
nets of that time declared inputs; data layers outside the net state, which Caffe would
drop, are then dropped from the text (net-level inputs have no phase rules).
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set

from ..edits import TextEdit, apply_edits
from ..errors import PtxError
from ..net.kind import V0, V1
from ..syntax import Message
from ..syntax.values import quote_string
from .datashapes import DataLayerShapes, data_layer_shapes, is_data_layer
from .layertext import layer_position, rule_text
from .standins import python_data_shapes

_DROPPED_SHAPE = (1, 1)  # for data layers outside the net state: Caffe never sets them up


def plan_swaps(net, path: str, given: Dict[str, Sequence[int]],
               fallback: Optional[Sequence[int]] = None,
               max_batch: Optional[int] = None,
               included: Optional[Set[int]] = None) -> List[DataLayerShapes]:
    """Shapes for every data layer of ``net`` (PtxError at the layer when one is unknown).
    ``included``: indexes of the layers in the net state Caffe builds (None: every layer).
    Data layers outside it are swapped too (Caffe parses the whole file, so a fork's data
    parameters must go), but Caffe drops them: a placeholder shape serves, and no notes."""
    plans = []
    for layer in net.layers:
        if not is_data_layer(layer):
            continue
        known = python_data_shapes(layer, given, max_batch)
        if included is not None and layer.index not in included:
            plan = known or data_layer_shapes(layer, given, fallback or _DROPPED_SHAPE, max_batch)
            plan.assumed, plan.built = [], False
            plans.append(plan)
            continue
        try:
            plans.append(known or data_layer_shapes(layer, given, fallback, max_batch))
        except PtxError as exc:
            exc.path = path
            exc.line, exc.col = layer_position(net.node, layer)
            raise
    return plans


def swapped_text(doc, plans: List[DataLayerShapes], stand_ins: Sequence = (),
                 net_inputs: bool = False) -> str:
    """The net's text with every planned data layer replaced (same number of lines), and
    every Python layer in ``stand_ins`` replaced by its stand-in (standins.py).
    ``net_inputs``: the Caffe has no Input layer; V2 data layers become net-level inputs."""
    from .standins import stand_in_edit
    edits = [_edit(doc, plan, net_inputs) for plan in plans]
    edits += [stand_in_edit(doc, plan, _enclosing_field_span(doc, plan.layer.node),
                            net_input_text(doc) if net_inputs else None)
              for plan in stand_ins]
    return apply_edits(doc.text, edits)


def _edit(doc, plan: DataLayerShapes, net_inputs: bool = False) -> TextEdit:
    layer = plan.layer
    if layer.format == V0:
        start, end = _enclosing_field_span(doc, layer.node)
        text = _v0_inputs(plan)
    elif net_inputs and layer.format != V1:
        start, end = _enclosing_field_span(doc, layer.node)
        text = net_input_text(doc)(plan.shapes) if plan.built else ""
    else:
        start, end = layer.node.start, layer.node.end
        text = "{ " + " ".join(_fields(plan, layer.format)) + " }"
    newlines = doc.text.count("\n", start, end)
    return TextEdit(start, end, text + "\n" * newlines)


def _enclosing_field_span(doc, node: Message):
    for field in doc.fields:
        if field.value is node:
            return field.start, field.end
    return node.start, node.end


def _fields(plan: DataLayerShapes, fmt: str) -> List[str]:
    layer = plan.layer
    out = [f"name: {quote_string(layer.name)}"]
    out.append("type: DUMMY_DATA" if fmt == V1 else 'type: "Input"')
    out += [f"top: {quote_string(top)}" for top, _ in plan.shapes]
    for kind in ("include", "exclude"):
        out += [f"{kind} {{ {rule_text(rule)} }}" for rule in layer.node.messages(kind)]
    shapes = " ".join("shape { " + " ".join(f"dim: {d}" for d in shape) + " }"
                      for _, shape in plan.shapes)
    out.append(("dummy_data_param { " if fmt == V1 else "input_param { ") + shapes + " }")
    return out


def _v0_inputs(plan: DataLayerShapes) -> str:
    return _input_dims(plan.shapes)


def _input_dims(shapes) -> str:
    parts = []
    for top, shape in shapes:
        dims = (tuple(shape) + (1, 1, 1))[:4] if len(shape) < 4 else tuple(shape)
        parts.append(f"input: {quote_string(top)} " + " ".join(f"input_dim: {d}" for d in dims))
    return " ".join(parts)


def _input_shapes(shapes) -> str:
    return " ".join(f"input: {quote_string(top)} input_shape {{ "
                    + " ".join(f"dim: {d}" for d in shape) + " }" for top, shape in shapes)


def net_input_text(doc):
    """How to write net-level inputs into this net: ``input_dim`` where the net already
    declares inputs that way (Caffe refuses a mix of the two), else ``input_shape``."""
    uses_dims = any(f.name == "input_dim" for f in doc.fields)
    return _input_dims if uses_dims else _input_shapes
