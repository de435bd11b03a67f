"""Turning a head plan into edit steps (``passes.compose.combine`` runs them).

Every step edits the original text (one parse): the first every class-count place
of the plan (fields, Reshape dims, param_str keys, dropped class weights), where
the plan's layer numbers hold; then each head is renamed and resized, the steps
after the rename finding the head by its old name and reporting its new one.
Each step's change lines say why a number is what it is:
``'cls_score_new': num_output 21 -> 5 (4 classes + background)``.
"""
from __future__ import annotations

from functools import partial
from typing import Callable, List

from ..edits import TextEdit
from ..errors import PtxError
from ..passes import num_output, rename
from ..edits.fields import insert_items, quoted_like, remove_fields, set_path
from ..edits.layout import detect_style, removal
from ..syntax import Scalar
from ..passes.base import EditResult, layers_named
from ..passes.compose import relabelled
from .paramstr import int_keys, set_int_key
from .plan import Head, Plan
from .walk import fixed


def places_step(plan: Plan) -> Callable:
    return partial(_places, plan=plan)


def _places(ptx_file, plan: Plan) -> EditResult:
    layers = ptx_file.net.layers
    style = detect_style(ptx_file.doc)
    result = EditResult()
    for setting in plan.settings:
        layer = layers[setting.index]
        old, edits = _set(layer, setting, style)
        result.edits += edits
        if edits:
            where = ".".join(setting.path[1:]) or setting.path[0]
            where += f"[{setting.item}]" if setting.item is not None else ""
            result.changes.append(f"'{layer.name}': {where} {old} -> {setting.value}"
                                  + _why(setting.why))
    for key in plan.param_keys:
        layer = layers[key.index]
        old = int_keys(layer, (key.key,)).get(key.key)
        edit = set_int_key(layer, key.key, key.value)
        if edit is not None:
            result.edits.append(edit)
            result.changes.append(f"'{layer.name}': param_str '{key.key}' {old} -> "
                                  f"{key.value}" + _why(key.why))
    for dim in plan.input_dims:
        found = _input_dim_node(ptx_file.net, dim)
        if found is not None and found.raw != str(dim.value):
            result.edits.append(TextEdit(found.start, found.end, str(dim.value)))
            result.changes.append(f"net input '{dim.name}': dim {dim.axis} {found.value} -> "
                                  f"{dim.value}" + _why(dim.why))
    for item in plan.values:
        layer = layers[item.index]
        block = layer.node.get(item.path[0])
        if block is not None:
            old = len(block.value.values(item.name))
            result.edits += _replaced_values(block.value, item.name, item.values, style)
            result.changes.append(f"'{layer.name}': {item.name} {old} values -> "
                                  f"{len(item.values)}" + _why(item.why))
    for drop in plan.drops:
        layer = layers[drop.index]
        block = layer.node.get(drop.path[0])
        if block is not None:
            result.edits += remove_fields(block, drop.names)
            result.changes.append(f"'{layer.name}': {', '.join(drop.names)} removed"
                                  + _why(drop.why))
    return result


def _replaced_values(block, name: str, values, style) -> list:
    """Edits making repeated field ``name`` of ``block`` hold ``values``: old values replaced
    in place (comments and layout kept), extra old fields removed, extra values added after
    the last.  A ``[a, b]`` list form becomes one list holding the new values."""
    fields = [f for f in block.fields if f.name == name]
    if any(not isinstance(f.value, Scalar) for f in fields):
        first = fields[0].value
        return ([TextEdit(first.start, first.end, "[" + ", ".join(values) + "]")] +
                [removal(f.stream, f) for f in fields[1:]])
    edits = [TextEdit(f.value.start, f.value.end, v) for f, v in zip(fields, values)]
    edits += [removal(f.stream, f) for f in fields[len(values):]]
    if len(values) > len(fields):
        extra = [(name, v) for v in values[len(fields):]]
        edits.append(insert_items(block, extra, style, after=fields[-1] if fields else None))
    return edits


def _input_dim_node(net, dim):
    """The scalar of axis ``dim.axis`` in the declared shape of net input ``dim.name``."""
    for i, net_input in enumerate(net.inputs):
        if net_input.name != dim.name or net_input.shape_node is None:
            continue
        if hasattr(net_input.shape_node, "values"):          # input_shape { dim ... }
            values = net_input.shape_node.values("dim")
        else:                                                 # input_dim x 4
            values = net.node.values("input_dim")[4 * i:4 * i + 4]
        return values[dim.axis] if dim.axis < len(values) else None
    return None


def _why(text: str) -> str:
    return f" ({text})" if text else ""


def _set(layer, setting, style):
    """(old value, edits) for one setting; a repeated field's value is replaced in place."""
    block = layer.node
    for name in setting.path[:-1]:
        inner = block.message(name) if block is not None else None
        if inner is None:
            return None, set_path(block, list(setting.path), str(setting.value), style)
        block = inner
    name = setting.path[-1]
    if setting.item is not None:
        node = block.values(name)[setting.item]
        if node.raw == str(setting.value):
            return node.value, []
        return node.value, [TextEdit(node.start, node.end, str(setting.value))]
    return block.scalar(name), set_path(block, [name], str(setting.value), style)


def head_steps(plan: Plan, head: Head, new: str, learnt: List[Callable]) -> List[Callable]:
    """Rename, resize and (for a fixed upsampling) make bilinear; ``learnt``: the steps
    for a learnt head (lr_mult, fillers) given its old name.  All run on the original
    text, so the steps after the rename say ``new`` where they found ``head.layer``."""
    steps = []
    if head.outputs is not None:
        steps.append(partial(_resize, layer=head.layer, n=head.outputs, why=head.why))
    if head.upsampling:
        steps.append(partial(_bilinear, layer=head.layer, n=head.outputs))
    elif head.outputs is not None:
        steps += learnt
    return [partial(rename.run, old=head.layer, new=new, blobs=not plan.keep_blob_names)] + \
        [relabelled(step, head.layer, new) for step in steps]


def _resize(ptx_file, layer: str, n: int, why: str) -> EditResult:
    result = num_output.run(ptx_file, layer=layer, n=n)
    result.changes = [c + _why(why) for c in result.changes]
    return result


def _bilinear(ptx_file, layer: str, n: int) -> EditResult:
    """``group = n`` and a bilinear weight filler: one fixed 2-D kernel per class."""
    style = detect_style(ptx_file.doc)
    edits = []
    for view in layers_named(ptx_file, layer):
        block = view.node.message("convolution_param")
        if block is None:
            raise PtxError(f"'{layer}' has no convolution_param", ptx_file.path)
        edits += set_path(block, ["group"], str(n), style)
        filler = block.message("weight_filler")
        current = filler.get("type") if filler is not None else None
        edits += set_path(block, ["weight_filler", "type"],
                          quoted_like(current.value if current else None, "bilinear", style),
                          style)
    learnt = any(not fixed(view) for view in layers_named(ptx_file, layer))
    how = ("learnt upsampling: starts bilinear, one kernel per class, lr_mult kept" if learnt
           else "fixed upsampling, lr_mult 0")
    change = f"'{layer}': group {n}, weight_filler bilinear ({how})"
    return EditResult(edits, [change] if edits else [])
