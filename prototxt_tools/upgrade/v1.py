"""V1 → V2: ``layers { type: ENUM }`` becomes ``layer { type: "String" }`` (UpgradeV1Net).

Edits are in place: the block keyword, the type value and the per-blob
fields (``param: "name"``, ``blob_share_mode``, ``blobs_lr``, ``weight_decay``)
that V2 gathers into ``param { ... }`` messages.  Everything else inside the
block already has the same name and meaning in V2, so it is left untouched.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..edits import TextEdit
from ..errors import PtxError
from ..syntax import Document, Field, Message, Scalar
from .step import StepResult
from .tables import MIXED_FORMAT_MESSAGE, V1_FIELDS, V1_PARAM_FAMILY, V1_TYPE_BY_NUMBER, V1_TYPES
from ..edits.layout import Style, alone_on_line, detect_style, indent_of, removal
from .text import chunk_removal, comment_out, quoted, split_message

_SPEC_KEYS = {"param": "name", "blob_share_mode": "share_mode", "blobs_lr": "lr_mult",
              "weight_decay": "decay_mult"}
_SPEC_ORDER = ("name", "share_mode", "lr_mult", "decay_mult")


def run(doc: Document) -> StepResult:
    result = StepResult()
    blocks = [f for f in doc.get_all("layers") if isinstance(f.value, Message)]
    if not blocks:
        return result
    if doc.has("layer"):
        first = doc.get_all("layer")[0]
        raise PtxError(MIXED_FORMAT_MESSAGE, line=first.line, col=first.col)
    style = detect_style(doc)
    for block in blocks:
        _upgrade_layer(doc, block, style, result)
    result.changes.insert(0, _summary(blocks))
    return result


def _summary(blocks: List[Field]):
    from .step import Change
    return Change(blocks[0].line, f"{len(blocks)} V1 `layers` blocks → `layer` (V2 format)")


def _upgrade_layer(doc: Document, block: Field, style: Style, result: StepResult) -> None:
    msg = block.value
    result.edits.append(TextEdit(block.start, block.name_end, "layer"))
    for f in msg.get_all("type"):
        result.edits.append(_type_edit(f, style, result))
    family = [f for f in msg.fields if f.name in V1_PARAM_FAMILY]
    if family:
        result.edits.extend(_param_edits(doc, msg, family, style))
    for f in msg.get_all("layer"):
        result.edits.append(comment_out(doc, f, "Caffe ignores a V0 `layer` inside V1 `layers` "
                                        "(Input NetParameter has V0 layer -- ignoring.)", style))
        result.warn(f, "dropped a V0 `layer` inside V1 `layers` (Caffe ignores it); kept as comment")
    unknown = sorted({f.name for f in msg.fields if f.name not in V1_FIELDS and f.name != "layer"})
    if unknown:
        result.warn(block, f"layer {msg.scalar('name', '?')!s}: fields unknown to Caffe's V1 "
                    f"schema kept as they are: {', '.join(unknown)}")


def _type_edit(f: Field, style: Style, result: StepResult) -> TextEdit:
    value = f.value
    if not isinstance(value, Scalar):
        raise PtxError("layer `type` must be a value", line=f.line, col=f.col)
    if value.kind == "string":
        result.warn(f, f"type {value.raw} is already a V2 string in a V1 block; kept")
        return TextEdit(value.start, value.start, "")
    name = V1_TYPE_BY_NUMBER.get(value.value) if value.kind == "number" else value.value
    if name not in V1_TYPES:
        raise PtxError(f"Unknown V1LayerParameter layer type: {value.raw} (not a BVLC layer "
                       f"type; a fork's type must be renamed by hand)", line=value.line,
                       col=value.col)
    return TextEdit(value.start, value.end, quoted(V1_TYPES[name][1], style))


def param_specs(family: List[Field], comments: Optional[Dict[int, str]] = None
                ) -> List[Dict[str, str]]:
    """ParamSpec contents by blob index, as value texts (UpgradeV1LayerParameter).

    ``comments`` maps a field's first lexeme to its trailing comment, which then
    follows the value it belongs to.
    """
    specs: List[Dict[str, str]] = []
    counters = {name: 0 for name in V1_PARAM_FAMILY}
    for f in family:
        note = (comments or {}).get(f.first) if len(f.values()) == 1 else None
        for value in f.values():
            index = counters[f.name]
            counters[f.name] += 1
            while len(specs) <= index:
                specs.append({})
            specs[index][_SPEC_KEYS[f.name]] = value.raw + (note or "")
    return specs


def render_specs(specs: List[Dict[str, str]], indent: str, style: Style, inline: bool) -> str:
    """``param { ... }`` blocks; the first line carries no indent (it replaces a field in place)."""
    blocks = []
    for spec in specs:
        items = [f"{key}: {spec[key]}" for key in _SPEC_ORDER if key in spec]
        if inline:
            blocks.append("param { " + " ".join(items) + " }")
        else:
            inner = [indent + style.unit + item for item in items]
            blocks.append(style.newline.join([indent + "param {"] + inner + [indent + "}"]))
    joined = (" " if inline else style.newline).join(blocks)
    return joined if inline else joined[len(indent):]


def _param_edits(doc: Document, msg: Message, family: List[Field], style: Style
                 ) -> List[TextEdit]:
    """The first per-blob field becomes every ``param {}``; the others go, comments following."""
    first = family[0]
    indent = indent_of(doc.text, first.start)
    if not alone_on_line(doc, first):
        text = render_specs(param_specs(family), indent, style, inline=True)
        return [TextEdit(first.start, first.end, text)] + [removal(doc, f) for f in family[1:]]
    by_first = {c.field.first: c for c in split_message(msg).chunks}
    chunks = [by_first[f.first] for f in family]
    comments = {c.field.first: c.trailing for c in chunks if c.trailing}
    moved_lead = [line for c in chunks[1:] if alone_on_line(doc, c.field) for line in c.leading]
    text = "".join(line + style.newline + indent for line in moved_lead)
    text += render_specs(param_specs(family, comments), indent, style, inline=False)
    end = first.end + len(chunks[0].trailing or "")
    return [TextEdit(first.start, end, text)] + [chunk_removal(doc, c) for c in chunks[1:]]
