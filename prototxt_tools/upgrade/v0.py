"""V0 → V1: the nested ``layer {}`` of each ``layers {}`` is flattened (UpgradeV0Net).

Each V0 field goes to its V1 home (``kernelsize`` → ``convolution_param {
kernel_size }``...), the type string becomes a V1 enum, padding layers are
folded into the next conv/pool (v0_padding).  The V1→V2 step then finishes
the job, exactly as Caffe chains V0→V1→V2.  Fields Caffe cannot place are
dropped by Caffe; ptx keeps them as comments and warns, so the result means
what Caffe's does and nothing is lost.  Every comment travels with its field.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Dict, List, Optional

from ..edits import TextEdit
from ..errors import PtxError
from ..syntax import Document, Field, Message
from .step import StepResult
from .tables import (V0_FIELDS, V0_HDF5_OUTPUT, V0_LAYER_LEVEL, V0_SILENTLY_DROPPED, V0_TYPES)
from ..edits.layout import Style, detect_style, field_inner_indent, indent_of, removal
from .text import Chunk, comment_lines, comment_out, reindent, split_message
from .v0_padding import PaddingPlan, plan_padding, v0_type

_NET_KEPT = frozenset(("name", "layers", "input", "input_dim", "force_backward"))


@dataclass
class Item:
    """One output field: an original chunk (maybe renamed / revalued), a group or a dropped field."""

    chunk: Optional[Chunk] = None
    name: Optional[str] = None        # new field name (or the group's name)
    value: Optional[str] = None       # new value text
    dropped: Optional[str] = None     # why Caffe drops it
    members: List["Item"] = dc_field(default_factory=list)
    text: Optional[str] = None        # a synthetic field, e.g. a folded ``pad``
    target: Optional[str] = None      # the typed param this field moves into


def run(doc: Document) -> StepResult:
    result = StepResult()
    blocks = [f for f in doc.get_all("layers") if isinstance(f.value, Message)]
    if not any(b.value.has("layer") for b in blocks):
        return result
    style = detect_style(doc)
    plan = plan_padding(doc, blocks)
    for i, block in enumerate(blocks):
        if i in plan.removed:
            result.edits.append(_remove_padding(doc, block, style))
            result.change(block, f"padding layer {_name(block)} folded into the layer reading it")
        else:
            result.edits.append(_rebuild(doc, block, i, plan, style, result))
    for f in doc.fields:
        if f.name not in _NET_KEPT:
            result.edits.append(comment_out(doc, f, "Caffe's V0 upgrade drops this net field",
                                            style))
            result.warn(f, f"net field {f.name} dropped by Caffe's V0 upgrade; kept as a comment")
    result.changes.insert(0, _summary(blocks, plan))
    return result


def _summary(blocks: List[Field], plan: PaddingPlan):
    from .step import Change
    return Change(blocks[0].line, f"{len(blocks) - len(plan.removed)} V0 layers flattened to V1 "
                  "(nested layer {} removed, fields moved to their typed params)")


def _name(block: Field) -> str:
    inner = block.value.message("layer")
    return str(inner.scalar("name", "?")) if inner is not None else "?"


def _remove_padding(doc: Document, block: Field, style: Style) -> TextEdit:
    """The padding layer goes; the comments written inside it stay, as comment lines."""
    indent = indent_of(doc.text, block.start)
    comments = [t for t in doc.stream.texts[block.first:block.last + 1] if t.startswith("#")]
    if not comments:
        return removal(doc, block)
    text = (style.newline + indent).join(comments)
    return TextEdit(block.start, block.end, text)


def _rebuild(doc: Document, block: Field, index: int, plan: PaddingPlan, style: Style,
             result: StepResult) -> TextEdit:
    msg = block.value
    kind = v0_type(msg)
    outer = split_message(msg)
    items: List[Item] = []
    bottom_index = 0
    for chunk in outer.chunks:
        f = chunk.field
        if f.name == "layer" and isinstance(f.value, Message):
            items.extend(_inner_items(doc, chunk, kind, plan.pads.get(index), result))
        elif f.name == "bottom":
            new = plan.bottoms.get(index, {}).get(bottom_index)
            bottom_index += len(f.values())
            items.append(Item(chunk, value=new))
        elif f.name == "top":
            items.append(Item(chunk))
        else:
            items.append(Item(chunk, dropped="Caffe's V0 upgrade keeps only bottom, top and layer"))
            result.warn(f, f"field {f.name} beside a V0 layer dropped by Caffe; kept as a comment")
    indent = field_inner_indent(doc, msg, style)
    lines = [line for item in items for line in _render(doc, item, indent, style)]
    lines += [indent + c for c in outer.tail]
    head = " " + outer.opener_comment if outer.opener_comment else ""
    close_indent = indent_of(doc.text, msg.close_start)
    body = head + style.newline + style.newline.join(lines) + style.newline + close_indent
    return TextEdit(msg.inner_start, msg.close_start, body)


def _inner_items(doc: Document, holder: Chunk, kind: str, pad: Optional[str],
                 result: StepResult) -> List[Item]:
    """Items of the V0 ``layer {}``: its own comments first, then its fields in their new homes."""
    inner = split_message(holder.field.value)
    lead = list(holder.leading) + ([inner.opener_comment] if inner.opener_comment else [])
    items: List[Item] = [Item(text=c) for c in lead]
    groups: Dict[str, Item] = {}
    for chunk in inner.chunks:
        item = _place(chunk, kind, pad, result)
        target = item.target
        if target is None:
            items.append(item)
        elif target in groups:
            groups[target].members.append(item)
        else:
            groups[target] = Item(name=target, members=[item])
            items.append(groups[target])
    if pad is not None and not any(c.field.name == "pad" for c in inner.chunks):
        target = "convolution_param" if kind == "conv" else "pooling_param"
        group = groups.get(target) or Item(name=target)
        if target not in groups:
            groups[target] = group
            items.append(group)
        group.members.append(Item(text="pad: " + pad))
    tail = inner.tail + ([holder.trailing.strip()] if holder.trailing else [])
    items += [Item(text=c) for c in tail]
    return items


def _place(chunk: Chunk, kind: str, pad: Optional[str], result: StepResult) -> Item:
    """Where one V0 field goes; sets ``item.target`` when it moves into a typed param."""
    f = chunk.field
    name = f.name
    item = Item(chunk)
    if name == "type":
        if kind not in V0_TYPES:
            raise PtxError(f"Unknown layer name: {kind}", line=f.value.line, col=f.value.col)
        item.value = V0_TYPES[kind]
    elif name in V0_FIELDS:
        new_name, homes = V0_FIELDS[name]
        target = homes.get(kind) or homes.get("*")
        if target is None:
            item.dropped = f"Unknown parameter {name} for layer type {kind}"
            result.warn(f, f"{item.dropped} (Caffe drops it; kept as a comment)")
        else:
            item.name, item.target = new_name, target
            if name == "pad" and pad is not None:
                item.value = pad
    elif name == V0_HDF5_OUTPUT and kind != "hdf5_output":
        item.dropped = f"Unknown parameter hdf5_output_param for layer type {kind}"
        result.warn(f, f"{item.dropped} (Caffe drops it; kept as a comment)")
    elif name in V0_SILENTLY_DROPPED:
        item.dropped = f"Caffe's V0 upgrade ignores {name}"
        result.warn(f, f"{name} is ignored by Caffe's V0 upgrade; kept as a comment")
    elif name not in V0_LAYER_LEVEL and name != V0_HDF5_OUTPUT:
        result.warn(f, f"{name} is not a V0 layer field; kept as it is")
    return item


def _render(doc: Document, item: Item, indent: str, style: Style) -> List[str]:
    if item.members or (item.name and item.chunk is None and item.text is None):
        inner = [line for m in item.members for line in _render(doc, m, indent + style.unit, style)]
        return [indent + item.name + " {"] + inner + [indent + "}"]
    if item.chunk is None:
        return [indent + item.text]
    chunk, f = item.chunk, item.chunk.field
    text = doc.text
    if item.dropped:
        lines = comment_lines(text, f, item.dropped)
        lines += [chunk.trailing.strip()] if chunk.trailing else []
        return [indent + c for c in chunk.leading] + [indent + line for line in lines]
    name = item.name or f.name
    if item.value is not None:
        body = name + text[f.name_end:f.value.start] + item.value
    else:
        body = reindent(name + text[f.name_end:f.end], indent_of(text, f.start), indent)
    trailing = chunk.trailing or ""
    return [indent + c for c in chunk.leading] + [indent + body + trailing]
