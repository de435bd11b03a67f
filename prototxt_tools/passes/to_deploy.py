"""``--to-deploy [--input-shape N,C,H,W]``: a train_val net becomes a deploy net.

Kept: the TEST-phase structure.  Dropped: layers not in TEST, data layers (each
replaced in place by an Input layer for its first top, shaped from
``--input-shape`` or from the layer's crop/resize with batch 1, one image at a time),
Accuracy and loss layers, and whatever reads a dropped blob (labels).  The main
SoftmaxWithLoss (the largest loss weight) becomes a Softmax named ``prob`` (layer and
top, when the names are free) reading the prediction, as the BVLC deploy files write
it; auxiliary losses (GoogLeNet's loss1/loss2, weight 0.3) go with the branch that
only fed them.  What only training reads goes from the layers kept: ``include``/
``exclude`` rules that only pick a phase, ``param {}`` multipliers (a block naming a
shared parameter keeps its name) and weight/bias fillers.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from ..caffe.datashapes import data_layer_shapes, is_data_layer
from ..edits import TextEdit
from ..edits.fields import (insert_items, quoted_like, remove_field, remove_fields, rename_string,
                           render_items)
from ..edits.layout import detect_style, indent_of, line_start
from ..errors import PtxError
from ..listing import short_list
from ..syntax.cst import Message
from ..shapes.core import dims_text
from .base import TEST, EditResult, Option, Pass, require_v2, unchanged
from .cut import readers_of_removed

_SOFTMAX_LOSS = "SoftmaxWithLoss"
PROB = "prob"
_FILLERS = ("weight_filler", "bias_filler")


def run(ptx_file, input_shape: Optional[Sequence[int]] = None) -> EditResult:
    require_v2(ptx_file)
    graph = ptx_file.graph(TEST)
    _require_buildable(ptx_file, graph)
    style = detect_style(ptx_file.doc)
    kept_ids = {layer.index for layer in graph.layers()}
    dropped: Dict[int, object] = {l.index: l for l in ptx_file.net.layers if l.index not in kept_ids}
    data = [layer for layer in graph.layers() if is_data_layer(layer)]
    loss_ids = {l.index for l in graph.loss_layers()}
    losses = [l for l in graph.layers() if l.index in loss_ids or l.type == "Accuracy"]
    converted = _main_softmax_losses(losses)
    for layer in data + [l for l in losses if l not in converted]:
        dropped[layer.index] = layer
    labels = _label_tops(graph, losses)
    provided = {top for layer in data for top in layer.tops if top not in labels}
    readers_of_removed(graph, dropped, {l.index for l in converted}, provided)
    if converted:
        _drop_aux_branches(graph, dropped, [l for l in losses if l not in converted])
    edits, changes = [], []
    for i, layer in enumerate(data):
        tops = [t for t in layer.tops if t not in labels] or layer.tops[:1]
        edits.append(_input_layer(ptx_file, layer, tops, input_shape if i == 0 else None,
                                  style, changes))
    edits += [remove_field(layer.field) for layer in dropped.values()]
    for layer in converted:   # several outputs (R-CNN's two losses) keep their names
        edits += _to_softmax(ptx_file, layer, style, changes, named=len(converted) == 1)
    kept = [layer for layer in graph.layers() if layer.index not in dropped]
    edits += [e for layer in kept for e in _phase_rules(layer)]
    edits += _training_only(kept, changes)
    replaced = {layer.index for layer in data}   # reported as "Input ... replaces ..."
    gone = [l for l in sorted(dropped.values(), key=lambda l: l.index) if l.index not in replaced]
    if gone:
        changes.append(f"dropped: {short_list(list(dict.fromkeys(l.name for l in gone)))}")
    if not edits:
        return unchanged("no data, loss or Accuracy layer, phase rule, multiplier or filler "
                         "(already a deploy net)")
    return EditResult(edits, changes)


def _require_buildable(ptx_file, graph) -> None:
    """The deploy net is the TEST net: it must build (a net whose data layers are
    chosen by stage has no TEST data layer without that stage)."""
    errors = [p for p in graph.problems if p.severity == "error"]
    if errors:
        raise PtxError(f"--to-deploy keeps the TEST phase, which does not build here "
                       f"(line {errors[0].line}: {errors[0].message})", ptx_file.path)


def _main_softmax_losses(losses: list) -> list:
    softmax = [l for l in losses if l.type == _SOFTMAX_LOSS and len(l.bottoms) >= 1]
    if not softmax:
        return []
    weight = {l.index: (l.loss_weight[0] if l.loss_weight else 1.0) for l in softmax}
    best = max(weight.values())
    return [l for l in softmax if weight[l.index] == best]


def _drop_aux_branches(graph, dropped: dict, seeds: list) -> None:
    """Drop layers whose every reader is dropped, walking up from auxiliary losses."""
    todo = list(seeds)
    while todo:
        layer = todo.pop()
        for j in range(len(layer.bottoms)):
            up = graph.producer_layer(layer, j)
            if up is None or up.index in dropped:
                continue
            readers = graph.consumers(up)
            if readers and all(r.index in dropped for r in readers):
                dropped[up.index] = up
                todo.append(up)


def _label_tops(graph, losses: list) -> set:
    """Blobs read as bottom 1+ of a loss or Accuracy layer: the labels."""
    return {layer.bottoms[j] for layer in losses for j in range(1, len(layer.bottoms))}


def _input_layer(ptx_file, layer, tops, shape, style, changes: List[str]) -> TextEdit:
    if shape is None:
        try:
            shape = data_layer_shapes(layer, {}).shapes[0][1]
        except PtxError as exc:
            raise PtxError(exc.message.replace("--input-shape data=", "--input-shape "),
                           ptx_file.path, exc.line, exc.col) from None
        shape = (1,) + tuple(shape[1:])   # deploy classifies one image at a time
    dims = "shape { " + " ".join(f"dim: {d}" for d in shape) + " }"
    items = [("name", quoted_like(layer.body.get("name").value, layer.name, style)),
             ("type", quoted_like(None, "Input", style))]
    items += [("top", quoted_like(layer.top_nodes[0], top, style)) for top in tops]
    items.append(("input_param", [(dims, None)] * len(tops)))
    indent = indent_of(ptx_file.text, layer.field.start)
    lines = _render(items, indent, style)
    at = line_start(ptx_file.text, layer.field.start)
    changes.append(f"Input {', '.join(repr(t) for t in tops)} {dims_text(shape)} "
                   f"replaces {layer.type} '{layer.name}'")
    return TextEdit(at, at, style.newline.join(lines) + style.newline)


def _render(items, indent: str, style) -> List[str]:
    lines = [indent + "layer {"]
    for name, value in items:
        if isinstance(value, list):
            inner = indent + style.unit
            lines += [inner + name + " {"] + [inner + style.unit + v[0] for v in value]
            lines.append(inner + "}")
        else:
            lines += render_items([(name, value)], indent + style.unit, style)
    return lines + [indent + "}"]


def _to_softmax(ptx_file, layer, style, changes: List[str], named: bool) -> list:
    """SoftmaxWithLoss -> Softmax on the prediction alone; when ``named`` (the net's one
    output) its layer and top are called ``prob`` where no other layer or blob is."""
    node = layer.node
    edits = [TextEdit(node.get("type").value.start, node.get("type").value.end,
                      quoted_like(node.get("type").value, "Softmax", style))]
    for name in ("loss_weight", "propagate_down", "loss_param"):
        edits += [remove_field(f) for f in node.get_all(name)]
    edits += [remove_field(f) for f in node.get_all("bottom")[1:]]
    names = {other.name for other in ptx_file.net.layers if other is not layer}
    blobs = {b for other in ptx_file.net.layers for b in other.tops + other.bottoms
             if other is not layer}
    free = PROB if named else f"{layer.name}_prob"
    if named and PROB not in names:
        edits += [e for e in [rename_string(layer.body.get("name").value, PROB, style)] if e]
    top = layer.tops[0] if layer.tops else None
    if top is None:   # a loss may leave its top to Caffe; a Softmax needs one
        edits.append(insert_items(node, [("top", quoted_like(None, free, style))], style,
                                  node.get_all("bottom")[0]))
        top = free
    elif named and top != PROB and PROB not in blobs:
        edits.append(rename_string(layer.top_nodes[0], PROB, style))
        top = PROB
    changes.append(f"'{layer.name}': SoftmaxWithLoss -> Softmax (its top '{top}' holds the "
                   f"probabilities)")
    return edits


def _training_only(layers: list, changes: List[str]) -> list:
    """Edits removing what only training reads: ``param {}`` multipliers (a block naming
    a shared parameter keeps the name, which deploy weight sharing needs) and the
    weight/bias fillers of the layers' ``*_param`` blocks."""
    edits, touched = [], []
    for layer in layers:
        own = []
        specs = layer.node.get_all("param")
        named = [isinstance(s.value, Message) and s.value.has("name") for s in specs]
        last_named = max((i for i, n in enumerate(named) if n), default=-1)
        for i, spec in enumerate(specs):
            if named[i]:
                own += remove_fields(spec, ["lr_mult", "decay_mult"])
            elif i > last_named:   # an earlier one keeps the blob index of the named ones
                own.append(remove_field(spec))
        for block in layer.node.fields:
            if isinstance(block.value, Message) and block.name.endswith("_param"):
                own += [remove_field(f) for f in block.value.fields if f.name in _FILLERS]
        edits += own
        touched += [layer.name] if own else []
    if touched:
        changes.append(f"training-only param {{}} multipliers and fillers removed: "
                       f"{short_list(touched)}")
    return edits


def _phase_rules(layer) -> list:
    """Remove include/exclude blocks that test nothing but the phase."""
    edits = []
    for name in ("include", "exclude"):
        for f in layer.node.get_all(name):
            if [g.name for g in f.value.fields] == ["phase"]:
                edits.append(remove_field(f))
    return edits


def _params(_value, options) -> dict:
    return {"input_shape": _shape(options.input_shape)}


def _shape(text):
    from ..caffe.datashapes import parse_dims
    if text is None:
        return None
    dims = parse_dims(text)
    if not dims:
        raise PtxError(f"--input-shape wants N,C,H,W with positive sizes, got {text!r}")
    return dims


INPUT_SHAPE = Option("--input-shape", {"metavar": "N,C,H,W", "help": "shape of the deploy Input"})
TO_DEPLOY = Pass("to_deploy", run, "train_val -> deploy (Input layer, Softmax, no labels)", None,
                 _params, (INPUT_SHAPE,))
