"""V1 data layers: ``scale``/``mean_file``/``crop_size``/``mirror`` move into ``transform_param``.

Caffe (UpgradeNetDataTransformation) does this only for V1 ``layers`` of type
DATA, IMAGE_DATA and WINDOW_DATA, and only for those four fields inside the
layer's own ``*_data_param``; a value already in ``transform_param`` is
overwritten.  The moved fields take their comments with them.
"""
from __future__ import annotations

from typing import List

from ..syntax import Document, Field, Message, Scalar
from .step import StepResult
from .tables import DATA_PARAMS, TRANSFORM_FIELDS, V1_TYPE_BY_NUMBER
from ..edits.layout import (Style, alone_on_line, detect_style, field_inner_indent, indent_of,
                            line_end, line_start, removal)
from .text import chunk_lines, chunk_removal, split_message
from ..edits import TextEdit


def run(doc: Document) -> StepResult:
    result = StepResult()
    style = None
    for block in doc.get_all("layers"):
        param_name = _data_param_name(block)
        if param_name is None:
            continue
        moving = [(p, c) for p in block.value.get_all(param_name) if isinstance(p.value, Message)
                  for c in split_message(p.value).chunks if c.field.name in TRANSFORM_FIELDS]
        if not moving:
            continue
        style = style or detect_style(doc)
        result.edits.extend(move_to_transform_param(doc, block.value, moving, style))
        names = ", ".join(c.field.name for _, c in moving)
        result.change(block, f"layer {block.value.scalar('name', '?')}: {names} moved from "
                      f"{param_name} to transform_param{_lost_scale(param_name, moving)}")
    return result


def _lost_scale(param_name: str, moving: list) -> str:
    """Caffe's upgrade moves WindowData's ``scale`` too, but WindowDataLayer reads only
    ``window_data_param.scale``: say so, the upgraded net (ptx's as Caffe's) loses it."""
    if param_name != "window_data_param" or all(c.field.name != "scale" for _, c in moving):
        return ""
    return (" (note: WindowData reads scale only from window_data_param, so the upgraded net "
            "no longer scales its input, as with Caffe's own upgrade; put scale back into "
            "window_data_param to keep it)")


def _data_param_name(block: Field):
    if not isinstance(block.value, Message):
        return None
    kind = block.value.get("type")
    if kind is None or not isinstance(kind.value, Scalar):
        return None
    value = kind.value.value
    name = V1_TYPE_BY_NUMBER.get(value) if kind.value.kind == "number" else value
    return DATA_PARAMS.get(name) if kind.value.kind != "string" else None


def move_to_transform_param(doc: Document, layer: Message, moving: list,
                            style: Style) -> List[TextEdit]:
    """Edits moving ``moving`` ((data param Field, Chunk) pairs) into ``layer``'s
    transform_param, created after the first data param when absent.

    Shared with lint's PTX306 fix, so both write the block the same way; a field of the
    same name already in transform_param is removed (Caffe's set_<field> overwrites it),
    so a caller that wants to keep it leaves that chunk out of ``moving``.
    """
    moved_names = {c.field.name for _, c in moving}
    edits = [chunk_removal(doc, c) for _, c in moving]
    target = layer.message("transform_param")
    if target is not None:
        edits.extend(removal(doc, f) for f in target.fields if f.name in moved_names)
        inline = "\n" not in target.render() and "\r" not in target.render()
        indent = field_inner_indent(doc, target, style)
        lines = _lines(doc, moving, indent, inline)
        if inline:
            edits.append(TextEdit(target.close_start, target.close_start, " ".join(lines) + " "))
        else:
            at = _line_start_of_close(doc, target)
            edits.append(TextEdit(at, at, "".join(l + style.newline for l in lines)))
        return edits
    anchor = moving[0][0]
    inline = not alone_on_line(doc, anchor)
    indent = indent_of(doc.text, anchor.start)
    lines = _lines(doc, moving, indent + style.unit, inline)
    if inline:
        text = " transform_param { " + " ".join(lines) + " }"
    else:
        text = style.newline.join([style.newline + indent + "transform_param {"] + lines
                                  + [indent + "}"])
    at = anchor.end if inline else line_end(doc.text, anchor.end)
    return edits + [TextEdit(at, at, text)]


def _lines(doc: Document, moving: list, indent: str, inline: bool) -> List[str]:
    if inline:
        return [doc.text[c.field.start:c.field.end] for _, c in moving]
    return [line for _, c in moving for line in chunk_lines(doc, c, indent)]


def _line_start_of_close(doc: Document, msg: Message) -> int:
    text = doc.text
    start = line_start(text, msg.close_start)
    return start if not text[start:msg.close_start].strip() else msg.close_start
