"""Recursive-descent parser from lexemes to the concrete syntax tree.

Accepts the text format as Caffe files really use it: ``{}`` and ``<>``
blocks, an optional ``:`` before a message or list, ``,``/``;`` separators,
``[a, b]`` lists and adjacent string literals.  The parser walks only the
meaningful lexemes; trivia stays in the stream, between node ranges.
"""
from __future__ import annotations

import gc
from typing import List

from .cst import Document, Field, ListValue, Message, Scalar
from .errors import ParseError
from .tokens import LineIndex, TokenStream

MAX_DEPTH = 100
_CLOSERS = {"{": "}", "<": ">"}
_PUNCT = frozenset("{}<>[]:,;")


def parse(text: str) -> Document:
    """Parse ``text`` into a Document; raise ParseError with line:col on bad syntax.

    The cyclic garbage collector is paused while the tree is built: every
    node points back at its Document, and collections triggered by the
    allocation of ~100k such nodes cost more than the parse itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Parser(text).document()
    finally:
        if was_enabled:
            gc.enable()


class _Parser:
    def __init__(self, text: str):
        self.index = LineIndex(text)
        self.stream = TokenStream(text)
        self.texts = self.stream.texts
        self.sig: List[int] = self.stream.significant
        self.p = 0  # position in ``sig``
        self.doc = Document(self.stream, self.index)

    # -- helpers ---------------------------------------------------------
    def error(self, message: str, p: int) -> ParseError:
        """An error at the meaningful lexeme number ``p`` (end of file past the last)."""
        if p < len(self.sig):
            offset = self.stream.starts[self.sig[p]]
        else:
            offset = len(self.stream.text)
        line, col = self.index.position(offset)
        return ParseError(message, line, col)

    def where(self, p: int) -> str:
        line, col = self.index.position(self.stream.starts[self.sig[p]])
        return f"{line}:{col}"

    def describe(self, p: int) -> str:
        if p >= len(self.sig):
            return "end of file"
        text = self.texts[self.sig[p]]
        return f"`{text if len(text) <= 20 else text[:17] + '...'}`"

    def lexeme(self, p: int) -> str:
        return self.texts[self.sig[p]] if p < len(self.sig) else ""

    # -- grammar ---------------------------------------------------------
    def document(self) -> Document:
        self.doc.fields = self.body(opener=-1, depth=0)
        return self.doc

    def body(self, opener: int, depth: int) -> list:
        """Fields and separators up to the closer of ``opener`` (or end of file)."""
        fields = []
        sig, texts, n = self.sig, self.texts, len(self.sig)
        while True:
            if self.p >= n:
                if opener >= 0:
                    raise self.error(f"unclosed `{self.lexeme(opener)}` opened at "
                                     f"{self.where(opener)}", self.p)
                return fields
            text = texts[sig[self.p]]
            if text == "}" or text == ">":
                self.check_closer(opener)
                return fields
            if text == "," or text == ";":
                self.p += 1
                continue
            fields.append(self.field(depth))

    def check_closer(self, opener: int) -> None:
        text = self.lexeme(self.p)
        if opener < 0:
            raise self.error(f"unexpected `{text}`: no block is open here", self.p)
        expected = _CLOSERS[self.lexeme(opener)]
        if text != expected:
            raise self.error(f"expected `{expected}` to close `{self.lexeme(opener)}` opened at "
                             f"{self.where(opener)}, found `{text}`", self.p)

    def field(self, depth: int) -> Field:
        name_p = self.p
        name = self.lexeme(name_p)
        if name[0] in _PUNCT or name[0] in "\"'" or not (name[0].isalpha() or name[0] == "_"):
            raise self.error(f"expected a field name, found {self.describe(name_p)}", name_p)
        self.p += 1
        colon = -1
        if self.lexeme(self.p) == ":":
            colon = self.sig[self.p]
            self.p += 1
        value = self.field_value(name, colon >= 0, depth)
        return Field(self.doc, self.sig[name_p], value, colon)

    def field_value(self, name: str, has_colon: bool, depth: int):
        text = self.lexeme(self.p)
        if text == "{" or text == "<":
            return self.message(depth + 1)
        if text == "[":
            return self.list_value(depth + 1)
        if not has_colon:
            raise self.error(f"expected `:` or `{{` after `{name}`, found "
                             f"{self.describe(self.p)}", self.p)
        if not text or text[0] in _PUNCT:
            raise self.error(f"expected a value after `{name}:`, found "
                             f"{self.describe(self.p)}", self.p)
        return self.scalar()

    def scalar(self) -> Scalar:
        sig, texts = self.sig, self.texts
        first = sig[self.p]
        self.p += 1
        if texts[first][0] in "\"'":  # adjacent string literals form one value
            while self.p < len(sig) and texts[sig[self.p]][0] in "\"'":
                self.p += 1
        return Scalar(self.doc, first, sig[self.p - 1])

    def message(self, depth: int) -> Message:
        if depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH} levels", self.p)
        opener = self.p
        self.p += 1
        fields = self.body(opener, depth)
        close = self.sig[self.p]
        self.p += 1
        return Message(self.doc, self.sig[opener], close, fields)

    def list_value(self, depth: int) -> ListValue:
        opener = self.p
        self.p += 1
        items = []
        if self.lexeme(self.p) != "]":
            while True:
                items.append(self.list_item(opener, depth))
                text = self.lexeme(self.p)
                if text == "]":
                    break
                if text != ",":
                    raise self.error(f"expected `,` or `]` in the list opened at "
                                     f"{self.where(opener)}, found {self.describe(self.p)}",
                                     self.p)
                self.p += 1
        close = self.sig[self.p]
        self.p += 1
        return ListValue(self.doc, self.sig[opener], close, items)

    def list_item(self, opener: int, depth: int):
        text = self.lexeme(self.p)
        if text == "{" or text == "<":
            return self.message(depth + 1)
        if not text or text[0] in _PUNCT:
            raise self.error(f"expected a value in the list opened at {self.where(opener)}, "
                             f"found {self.describe(self.p)}", self.p)
        return self.scalar()
