"""Edit primitives: each returns TextEdits that touch as little text as possible.

New text copies the file's own look: the indent of a sibling line, the file's
line ending and quote (``layout.detect_style``), and the
block's layout -- a field added to a one-line ``param { lr_mult: 1 }`` stays on
that line; one added to a multi-line block gets a line of its own, placed
after the line of the field it follows (a comment ending that line stays put).
New structures are written as *items*: ``[(name, raw value or items), ...]``.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple, Union

from ..syntax import Document, Field, Message, Scalar
from ..syntax.values import format_number, quote_string
from . import TextEdit
from .layout import (Style, alone_on_line, detect_style, dominant_newline, field_inner_indent,
                     line_end, removal)

Items = Sequence[Tuple[str, Union[str, "Items"]]]

__all__ = ["Style", "detect_style", "number", "quoted_like", "set_scalar", "set_path",
           "insert_items", "rename_string", "remove_field", "render_items"]


def number(value: float) -> str:
    """A multiplier or count as users write it: ``10``, not ``10.0``."""
    return format_number(value)


def quoted_like(old: Scalar, value: str, style: Style) -> str:
    """``value`` quoted like ``old`` was (its quote character), else the file's quote."""
    first = old.raw[:1] if old is not None else ""
    return quote_string(value, first if first and first in "\"'" else style.quote)


def rename_string(scalar: Scalar, value: str, style: Style) -> Optional[TextEdit]:
    """Replace a string value, keeping its quote style; None when already ``value``."""
    if scalar.value == value:
        return None
    return TextEdit(scalar.start, scalar.end, quoted_like(scalar, value, style))


def set_scalar(msg: Message, name: str, raw: str, style: Style,
               after: Optional[Field] = None) -> List[TextEdit]:
    """Make ``name: raw`` hold in ``msg``: the last such field's value is replaced in
    place, or a new field is inserted (after ``after`` or the last field)."""
    existing = msg.get(name)
    if existing is not None and isinstance(existing.value, Scalar):
        if existing.value.raw == raw:
            return []
        return [TextEdit(existing.value.start, existing.value.end, raw)]
    return [insert_items(msg, [(name, raw)], style, after)]


def set_path(msg: Message, path: Sequence[str], raw: str, style: Style) -> List[TextEdit]:
    """``set_scalar`` at ``a.b.c``: missing blocks on the way are inserted with the value."""
    if len(path) == 1:
        return set_scalar(msg, path[0], raw, style)
    inner = msg.message(path[0])
    if inner is not None:
        return set_path(inner, path[1:], raw, style)
    items: Items = [(path[-1], raw)]
    for name in reversed(path[1:-1]):
        items = [(name, items)]
    return [insert_items(msg, [(path[0], items)], style)]


def insert_items(msg: Message, items: Items, style: Style,
                 after: Optional[Field] = None, one_line_blocks: bool = False) -> TextEdit:
    """Insert fields into ``msg`` after ``after`` (default: its last field, or at its start);
    ``one_line_blocks`` writes each new block on one line (``param { lr_mult: 0 }``)."""
    def lines(indent: str) -> List[str]:
        return ([indent + render_inline([item]) for item in items] if one_line_blocks
                else render_items(items, indent, style))
    return _insert(msg, render_inline(items), lines, style, after)


def insert_field(msg: Message, text: str, style: Optional[Style] = None) -> TextEdit:
    """Add the field written as ``text`` (``shuffle: true``, ``weight_filler { ... }``) as
    the last field of ``msg``, placed like ``insert_items`` places fields; the line ending
    is the file's own unless ``style`` says otherwise."""
    style = style or Style(newline=dominant_newline(msg.stream.text))
    return _insert(msg, text, lambda indent: [indent + text], style, None)


def _insert(msg: Message, inline: str, lines, style: Style, after: Optional[Field]) -> TextEdit:
    """New fields after ``after`` (or the last field): on the anchor's line in a one-line
    block, else as lines of their own (``lines(indent)``) after the anchor's line, whose
    trailing comment stays on it."""
    doc = msg.stream
    anchor = after if after is not None else (msg.fields[-1] if msg.fields else None)
    if isinstance(msg, Document):
        at = line_end(doc.text, anchor.end if anchor else 0)
        return TextEdit(at, at, style.newline + style.newline.join(lines("")))
    if not _is_multiline(doc, msg, anchor):
        at = anchor.end if anchor is not None else msg.inner_start
        return TextEdit(at, at, " " + inline)
    indent = field_inner_indent(doc, msg, style)
    at = line_end(doc.text, anchor.end) if anchor is not None else msg.inner_start
    return TextEdit(at, at, style.newline + style.newline.join(lines(indent)))


def _is_multiline(doc, msg: Message, anchor: Optional[Field]) -> bool:
    if anchor is not None:
        return alone_on_line(doc, anchor)
    inner = doc.text[msg.inner_start:msg.close_start]
    return "\n" in inner or "\r" in inner


def render_items(items: Items, indent: str, style: Style) -> List[str]:
    """Lines for ``items`` at ``indent``, nested blocks one ``style.unit`` deeper."""
    lines = []
    for name, value in items:
        if isinstance(value, str):
            lines.append(f"{indent}{name}: {value}")
        else:
            lines.append(f"{indent}{name} {{")
            lines.extend(render_items(value, indent + style.unit, style))
            lines.append(f"{indent}}}")
    return lines


def render_inline(items: Items) -> str:
    parts = []
    for name, value in items:
        parts.append(f"{name}: {value}" if isinstance(value, str)
                     else f"{name} {{ {render_inline(value)} }}")
    return " ".join(parts)


def remove_field(f: Field) -> TextEdit:
    """Remove a field; its line goes when nothing else is on it (comments after it stay)."""
    return removal(f.stream, f)


def remove_fields(msg_field: Field, names: Sequence[str]) -> List[TextEdit]:
    """Remove ``names`` from the block ``msg_field``; the whole block when nothing else
    would be left in it (no field, no comment)."""
    block = msg_field.value
    going = [f for f in block.fields if f.name in names]
    if not going:
        return []
    if len(going) == len(block.fields) and "#" not in block.render():
        return [removal(msg_field.stream, msg_field)]
    return [removal(f.stream, f) for f in going]
