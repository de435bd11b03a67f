"""BatchNorm with exactly three ``param {}``: lr_mult and decay_mult become 0 (UpgradeNetBatchNorm).

The old BatchNorm definition asked users to declare three frozen param specs;
Caffe now forces ``lr_mult: 0`` and ``decay_mult: 0`` on them and keeps every
other field (names, share modes).  Specs already at 0 need no edit.
"""
from __future__ import annotations

from ..edits import TextEdit
from ..syntax import Document, Message, Scalar
from .step import StepResult
from ..edits.layout import detect_style, field_inner_indent, line_start

_KEYS = ("lr_mult", "decay_mult")


def run(doc: Document) -> StepResult:
    result = StepResult()
    style = None
    for block in doc.get_all("layer"):
        layer = block.value
        if not isinstance(layer, Message) or layer.scalar("type") != "BatchNorm":
            continue
        specs = layer.values("param")
        if len(specs) != 3 or not all(isinstance(s, Message) for s in specs):
            continue
        style = style or detect_style(doc)
        edits = [e for spec in specs for e in _zero_spec(doc, spec, style)]
        if edits:
            result.edits.extend(edits)
            result.change(block, f"layer {layer.scalar('name', '?')}: BatchNorm param specs set "
                          "to lr_mult: 0, decay_mult: 0 (Caffe forces this)")
    return result


def _zero_spec(doc: Document, spec: Message, style) -> list:
    edits = []
    for key in _KEYS:
        fields = spec.get_all(key)
        for f in fields:
            if not isinstance(f.value, Scalar) or f.value.value != 0:
                edits.append(TextEdit(f.value.start, f.value.end, "0"))
        if not fields:
            edits.append(_insert(doc, spec, f"{key}: 0", style))
    return edits


def _insert(doc: Document, spec: Message, item: str, style) -> TextEdit:
    text = spec.render()
    if "\n" not in text and "\r" not in text:
        return TextEdit(spec.close_start, spec.close_start,
                        ("" if text[-2:-1] == " " or len(text) <= 2 else " ") + item + " ")
    at = line_start(doc.text, spec.close_start)
    if doc.text[at:spec.close_start].strip():
        return TextEdit(spec.close_start, spec.close_start, item + " ")
    return TextEdit(at, at, field_inner_indent(doc, spec, style) + item + style.newline)
