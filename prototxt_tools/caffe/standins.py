"""Stand-ins for Python layers: ``ptx check`` does not run code named by the net it checks.

Caffe built with the Python layer (upstream is) imports ``python_param.module`` and calls its
``layer`` class while building the net, so checking a net from a pull request or a download
would run any code it names.  By default every Python layer Caffe would build is replaced, in
the text Caffe reads, by a Silence layer that consumes its bottoms and an Input layer (named
like the Python layer) that produces its tops with the shapes ptx infers or ``--input-shape``
gives.  Python *data* layers are already swapped for Input by swap.py (with the shapes their
setup() gives, for those shapes/pylayers.py knows).  Where a top's shape is unknown, the check
refuses with the layer and its module; ``--trust-python-layers`` imports the modules instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..edits import TextEdit
from ..errors import PtxError
from ..shapes.core import dims_text
from ..syntax.values import quote_string
from .datashapes import DataLayerShapes, is_data_layer
from .layertext import layer_position, rule_text

SILENCE_SUFFIX = " (ptx stand-in: bottoms)"   # name of the Silence half of a stand-in


@dataclass
class StandIn:
    """One Python layer and the shapes its stand-in gives its tops."""

    layer: object                                   # prototxt_tools.net.Layer
    shapes: List[Tuple[str, Tuple[int, ...]]]
    assumed: List[str] = field(default_factory=list)

    @property
    def module(self) -> str:
        return python_module(self.layer)


def python_module(layer) -> str:
    """``module.layer`` as the net names them, for messages."""
    block = layer.body.message("python_param")
    module = block.scalar("module") if block is not None else None
    name = block.scalar("layer") if block is not None else None
    return ".".join(str(part) for part in (module, name) if part) or "(no python_param)"


def python_layers(net, included: Optional[Set[int]]) -> list:
    """Python layers Caffe would build (in the net state) that are not data layers."""
    return [layer for layer in net.layers
            if layer.type == "Python" and not is_data_layer(layer)
            and (included is None or layer.index in included)]


def python_data_shapes(layer, given: Dict[str, Sequence[int]],
                       max_batch: Optional[int] = None) -> Optional[DataLayerShapes]:
    """A Python data layer shapes/pylayers.py knows: setup()'s shapes (its configuration's
    defaults where the net does not say, noted), the user's where given; None otherwise.
    Tops other than the images are zero-filled for --train-steps (boxes, rois at image 0)."""
    from ..shapes.pylayers import known_python_layer
    entry = known_python_layer(layer) if is_data_layer(layer) else None
    answer = entry.rule(layer, []) if entry is not None else None
    if answer is None or len(answer.tops) != len(layer.tops):
        return None
    plan = DataLayerShapes(layer, [], labels=list(layer.tops[1:]))
    first = given.get(layer.tops[0]) or given.get(layer.name)
    if first is None:
        plan.assumed += entry.assumed(layer)
    for i, (top, shape) in enumerate(zip(layer.tops, answer.tops)):
        shape = tuple((first if i == 0 else given.get(top)) or shape)
        if i == 0 and max_batch and shape[0] > max_batch:
            shape = (max_batch,) + shape[1:]
        plan.shapes.append((top, shape))
    return plan


def plan_stand_ins(ptx, path: str, layers: list, graph, given: Dict[str, Sequence[int]],
                   fallback: Optional[Sequence[int]] = None) -> List[StandIn]:
    """Top shapes for every Python layer in ``layers``; PtxError at the layer when unknown."""
    if not layers:
        return []
    inferred = _inferred_tops(graph, given)
    plans = []
    for layer in layers:
        _refuse_in_place(ptx.doc, layer, path)
        plan = StandIn(layer, [])
        for top, shape in zip(layer.tops, inferred.get(layer.index, [None] * len(layer.tops))):
            shape = given.get(top) or shape
            if shape is None and fallback is not None:
                shape = tuple(fallback)
                plan.assumed.append(f"shape {dims_text(shape)} for '{top}' "
                                    f"(Python layer '{layer.name}') is a placeholder")
            if shape is None:
                raise _unknown_shape(ptx.doc, layer, top, path)
            plan.shapes.append((top, tuple(shape)))
        plans.append(plan)
    return plans


def _inferred_tops(graph, given) -> Dict[int, List[Optional[Tuple[int, ...]]]]:
    """ptx's shapes of each layer's tops (given ones included); {} when ptx has no graph."""
    if graph is None:
        return {}
    from ..shapes.infer import infer_shapes
    result = infer_shapes(graph, given)
    return {entry.layer.index: [tuple(t) if t is not None else None for t in entry.tops]
            for entry in result.layers}


def _refuse_in_place(doc, layer, path: str) -> None:
    shared = [top for top in layer.tops if top in layer.bottoms]
    if shared:
        raise PtxError(f"Python layer '{layer.name}' ({python_module(layer)}) works in place on "
                       f"'{shared[0]}': ptx has no stand-in for it and does not import Python "
                       "layers by default; give --trust-python-layers to run its code",
                       path, *layer_position(doc, layer))


def _unknown_shape(doc, layer, top: str, path: str) -> PtxError:
    return PtxError(f"Python layer '{layer.name}' ({python_module(layer)}): ptx check does not "
                    f"import Python layers by default and cannot infer the shape of its top "
                    f"'{top}'; give it with --input-shape {top}=N,C,H,W (a stand-in then takes the "
                    "layer's place), or --trust-python-layers to run the module's code",
                    path, *layer_position(doc, layer))


def stand_in_edit(doc, plan: StandIn, field_span, net_inputs=None) -> TextEdit:
    """Replace the whole ``layer { ... }`` field by a Silence and an Input layer, same lines.
    ``net_inputs`` (a Caffe without the Input layer): writes the tops as net-level inputs
    instead (swap.net_input_text); the stand-in is only made for layers in the net state."""
    start, end = field_span
    layer = plan.layer
    rules = _rules_text(layer)
    parts = []
    if layer.bottoms:
        fields = [f"name: {quote_string(layer.name + SILENCE_SUFFIX)}", 'type: "Silence"']
        fields += [f"bottom: {quote_string(b)}" for b in layer.bottoms] + rules
        parts.append("layer { " + " ".join(fields) + " }")
    if plan.shapes and net_inputs is not None:
        parts.append(net_inputs(plan.shapes))
    elif plan.shapes:
        fields = [f"name: {quote_string(layer.name)}", 'type: "Input"']
        fields += [f"top: {quote_string(top)}" for top, _ in plan.shapes] + rules
        shapes = " ".join("shape { " + " ".join(f"dim: {d}" for d in shape) + " }"
                          for _, shape in plan.shapes)
        parts.append("layer { " + " ".join(fields) + f" input_param {{ {shapes} }} }}")
    newlines = doc.text.count("\n", start, end)
    return TextEdit(start, end, " ".join(parts) + "\n" * newlines)


def _rules_text(layer) -> List[str]:
    return [f"{kind} {{ {rule_text(rule)} }}"
            for kind in ("include", "exclude") for rule in layer.node.messages(kind)]
