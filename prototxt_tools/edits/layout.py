"""The file's own look, and removal that keeps it: what every edit of a user's file needs.

New text copies the file (its dominant line ending -- the one newline policy --,
its indent step and its quote); a removed node takes its line along only when
nothing else is on it, and the separators (``,`` ``;``) after it.  Lines end in
LF, CRLF or a lone CR: every helper here accepts all three.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..syntax import Document, Message
from . import TextEdit

_BREAK = re.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Style:
    """How new text should look in this file: line ending, one indent step, quote,
    and whether the layers' ``param {}`` blocks are mostly one-liners."""

    newline: str = "\n"
    unit: str = "  "
    quote: str = '"'
    one_line_params: bool = False


def detect_style(doc: Document) -> Style:
    """The dominant line ending, indent step and string quote of ``doc``."""
    text = doc.text
    newline = dominant_newline(text)
    indents = re.findall(r"^([ \t]+)\S", text, re.M)
    if any(i.startswith("\t") for i in indents):
        unit = "\t"
    else:
        widths = [len(i) for i in indents]
        unit = " " * min(widths) if widths else "  "
    strings = [t[0] for t in doc.stream.texts if t[0] in "\"'"]
    quote = "'" if strings and strings.count("'") * 2 > len(strings) else '"'
    return Style(newline, unit, quote, one_line_blocks(doc, "param"))


def dominant_newline(text: str) -> str:
    """The line ending most lines of ``text`` use (LF, CRLF or a lone CR); LF for none."""
    crlf = text.count("\r\n")
    cr, lf = text.count("\r") - crlf, text.count("\n") - crlf
    if cr > max(crlf, lf):
        return "\r"
    return "\r\n" if crlf and crlf >= lf else "\n"


def one_line_blocks(doc: Document, name: str) -> bool:
    """True when most ``name {}`` blocks of the file's layers are written on one line."""
    blocks = [f for layer in doc.get_all("layer") if hasattr(layer.value, "get_all")
              for f in layer.value.get_all(name)]
    single = sum(1 for f in blocks if "\n" not in f.render() and "\r" not in f.render())
    return bool(blocks) and single * 2 > len(blocks)


def line_start(text: str, offset: int) -> int:
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def line_end(text: str, offset: int) -> int:
    """Offset of the line break ending the line that holds ``offset`` (or end of text)."""
    match = _BREAK.search(text, offset)
    return match.start() if match else len(text)


def break_end(text: str, offset: int) -> int:
    """Offset just after the line break at ``offset`` (``offset`` if none is there)."""
    if text.startswith("\r\n", offset):
        return offset + 2
    if text[offset:offset + 1] in ("\n", "\r"):
        return offset + 1
    return offset


def indent_of(text: str, offset: int) -> str:
    """Leading blanks of the line holding ``offset``."""
    start = line_start(text, offset)
    return re.match(r"[ \t]*", text[start:]).group(0)


def alone_on_line(doc: Document, node) -> bool:
    """True when only blanks precede ``node`` on its line and only blanks or a comment follow."""
    text = doc.text
    before = text[line_start(text, node.start):node.start]
    after = text[node.end:line_end(text, node.end)]
    return not before.strip() and (not after.strip() or after.strip().startswith("#"))


def field_inner_indent(doc: Document, msg: Message, style: Style) -> str:
    """Indent of the fields inside ``msg`` (its first field's, else the block's plus a step)."""
    for f in msg.fields:
        if alone_on_line(doc, f):
            return indent_of(doc.text, f.start)
    return indent_of(doc.text, msg.start) + style.unit


def removal(doc: Document, node) -> TextEdit:
    """Remove ``node``; its whole line goes when nothing but blanks would remain.

    A comment after the node on its line stays (comments are never dropped).
    """
    text = doc.text
    start, end = line_start(text, node.start), line_end(text, node.end)
    if not text[start:node.start].strip() and not text[node.end:end].strip():
        return TextEdit(start, break_end(text, end), "")
    cut_end = node.end
    while cut_end < end and text[cut_end] in " \t,;":
        cut_end += 1
    return TextEdit(node.start, cut_end, "")
