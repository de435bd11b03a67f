"""Text-level helpers shared by the upgrade steps: chunks, moves and comment-outs
(the file's look and removals are ``edits.layout``).

Upgrades must keep every comment and the file's own look, so fields are handled as
*chunks*: the field's source text plus the comments that belong to it (full comment
lines directly above it, and a comment on the same line after it).  A moved chunk
takes its comments along; a removed field leaves its comments where they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import List, Optional

from ..edits import TextEdit
from ..edits.layout import (Style, alone_on_line, break_end, indent_of, line_end, line_start,
                            removal)
from ..syntax import Document, Field, Message

_NOTE = "ptx upgrade:"


def reindent(raw: str, old: str, new: str) -> str:
    """Shift continuation lines of ``raw`` from base indent ``old`` to ``new``."""
    lines = re.split(r"(\r\n|\n|\r)", raw)
    for i in range(2, len(lines), 2):
        if lines[i].startswith(old):
            lines[i] = new + lines[i][len(old):]
    return "".join(lines)


def renamed(doc: Document, f: Field, new_name: str, new_indent: Optional[str] = None) -> str:
    """Source text of ``f`` with its name replaced (and re-indented when asked)."""
    raw = new_name + doc.text[f.name_end:f.end]
    if new_indent is not None:
        raw = reindent(raw, indent_of(doc.text, f.start), new_indent)
    return raw


def comment_out(doc: Document, f: Field, why: str, style: Style) -> TextEdit:
    """Turn ``f`` into comment lines saying why (what Caffe drops stays readable)."""
    indent = indent_of(doc.text, f.start)
    lines = comment_lines(doc.text, f, why)
    if alone_on_line(doc, f):
        return TextEdit(f.start, f.end, (style.newline + indent).join(lines))
    return TextEdit(f.start, f.end, style.newline + indent + (style.newline + indent).join(lines)
                    + style.newline + indent)


def comment_lines(text: str, f: Field, why: str) -> List[str]:
    """``f``'s text (its indent removed) as comment lines, under a line saying why."""
    raw = reindent(text[f.start:f.end], indent_of(text, f.start), "")
    return [f"# {_NOTE} {why}:"] + ["# " + line for line in re.split(r"\r\n|\n|\r", raw)]


@dataclass
class Chunk:
    """A field with the comments that travel with it."""

    field: Field
    leading: List[str] = dc_field(default_factory=list)
    trailing: Optional[str] = None  # the blanks before the comment and the comment
    lead_start: Optional[int] = None  # offset of the first leading comment


@dataclass
class Split:
    """A message body cut into chunks, plus comments that belong to no field."""

    opener_comment: Optional[str]
    chunks: List[Chunk]
    tail: List[str]


def split_message(msg: Message) -> Split:
    """Assign each comment of ``msg``'s body to a field (above it or after it on its line)."""
    stream = msg.stream
    texts = stream.texts
    by_first = {f.first: f for f in msg.fields}
    chunks: List[Chunk] = []
    opener: Optional[str] = None
    pending: List[str] = []
    pending_start: Optional[int] = None
    newline_seen = False
    i = msg.first + 1 if not isinstance(msg, Document) else 0
    stop = msg.last if not isinstance(msg, Document) else len(texts)
    while i < stop:
        if i in by_first:
            chunks.append(Chunk(by_first[i], pending, None, pending_start))
            pending, pending_start, newline_seen = [], None, False
            i = by_first[i].last + 1
            continue
        lexeme = texts[i]
        if lexeme[0] == "#":
            if not newline_seen and chunks and chunks[-1].trailing is None:
                gap_start = chunks[-1].field.end
                chunks[-1].trailing = stream.text[gap_start:stream.starts[i]] + lexeme
            elif not newline_seen and not chunks and opener is None and not isinstance(msg, Document):
                opener = lexeme
            else:
                if not pending:
                    pending_start = stream.starts[i]
                pending.append(lexeme)
        elif "\n" in lexeme or "\r" in lexeme:
            newline_seen = True
        i += 1
    return Split(opener, chunks, pending)


def chunk_removal(doc: Document, chunk: Chunk) -> TextEdit:
    """Remove a chunk that moves elsewhere: its comment lines and its line(s) when alone."""
    text, f = doc.text, chunk.field
    if not alone_on_line(doc, f):
        return removal(doc, f)
    start = line_start(text, chunk.lead_start if chunk.lead_start is not None else f.start)
    return TextEdit(start, break_end(text, line_end(text, f.end)), "")


def chunk_lines(doc: Document, chunk: Chunk, indent: str, text: Optional[str] = None) -> List[str]:
    """Lines for ``chunk`` at ``indent``; ``text`` replaces the field's own text when given."""
    body = text if text is not None else reindent(
        doc.text[chunk.field.start:chunk.field.end], indent_of(doc.text, chunk.field.start), indent)
    lines = [indent + c for c in chunk.leading]
    lines.append(indent + body + (chunk.trailing or ""))
    return lines


def quoted(value: str, style: Style) -> str:
    from ..syntax.values import quote_string
    return quote_string(value, style.quote)
