"""Lexemes of the protobuf text format, each keeping its exact source text.

Every character of the input ends up in exactly one lexeme (blanks, newlines
and comments included), so concatenating the lexemes gives the input back.
That property is what makes the syntax tree lossless.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Optional

from .errors import ParseError

# ASCII digits only, as Caffe's (C++ protobuf's) tokenizer: ``\d`` would take other scripts' digits.
_NUMBER = r"[-+]?(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?[fF]?)(?![0-9A-Za-z_.])"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_STRING = r'"(?:[^"\\\r\n]|\\[^\r\n])*"|\'(?:[^\'\\\r\n]|\\[^\r\n])*\''
# One alternation, no groups: ``findall`` then returns every lexeme in C.
# Runs of blanks and newlines form one trivia token; a comment is its own token.
# Order is for speed only (each input position has one possible lexeme): the
# regex engine rejects a branch cheaply when it starts with a character class,
# so the common lexemes (blanks, names, punctuation) come first and ``-name``
# is a branch of its own.  A lone digit (``1`` of ``1a``) and a BOM are lexemes
# too.  A character nothing accepts is skipped by ``findall``: the lexemes then
# fall short of the text's length.  Only then, or for a non-ASCII text (``\d``
# takes other scripts' digits), is each character checked, on the lexemes of
# ``_LEXEME`` plus a final ``.`` that turns each unplaceable character into one.
_LEXEME = re.compile(
    r"[ \t\r\n\f\v]+|" + _NAME + r"|[{}<>\[\]:,;]|#[^\r\n]*|" + _NUMBER + "|" + _STRING
    + "|-" + _NAME + "|[0-9]|\ufeff")
_TRIVIA_FIRST = frozenset(" \t\r\n\f\v#\ufeff")
STRING = "string"
NUMBER = "number"
IDENT = "ident"
PUNCT = "punct"


class LineIndex:
    """Maps character offsets to 1-based (line, column) pairs.

    Lines end at ``\\n`` (so CRLF counts once); a leading BOM is not a column.
    """

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r(?!\n)", text)]
        self._bom = 1 if text.startswith("\ufeff") else 0

    def position(self, offset: int) -> tuple:
        line = bisect_right(self._starts, offset)
        col = offset - self._starts[line - 1] + 1
        if line == 1:
            col = max(1, col - self._bom)
        return line, col


class TokenStream:
    """The lexemes of one text: their raw texts and start offsets, and its line index.

    Kept as plain lists (not one object per token) because the corpus holds
    about a million lexemes and object creation would dominate parse time.
    Either list is derived from the other on first use: the Python lexer
    produces ``texts`` (``starts`` is then only needed for positions and
    edits), the compiled parser produces ``starts`` (and most reads never
    need ``texts``).  ``significant`` (indices of the non-trivia lexemes)
    and the line index are built on first use too.
    """

    __slots__ = ("text", "count", "_texts", "_starts", "_significant", "_index")

    def __init__(self, text: str, starts=None):
        """``starts`` from the compiled parser; without them the Python lexer runs."""
        self.text = text
        texts = lex(text) if starts is None else None
        self._texts = texts
        self._starts = starts
        self.count = len(texts) if texts is not None else len(starts) - 1
        self._significant = None
        self._index = None

    @property
    def texts(self) -> list:
        """The raw text of every lexeme; joined, they give ``text`` back."""
        texts = self._texts
        if texts is None:
            text, starts = self.text, self._starts
            texts = self._texts = [text[starts[i]:starts[i + 1]] for i in range(self.count)]
        return texts

    @property
    def starts(self):
        """Start offset of every lexeme, plus the text's length at the end."""
        starts = self._starts
        if starts is None:
            starts = self._starts = list(accumulate(map(len, self._texts), initial=0))
        return starts

    @property
    def significant(self) -> list:
        """Indices of the meaningful lexemes (everything but blanks, newlines, comments, BOMs)."""
        significant = self._significant
        if significant is None:
            trivia = _TRIVIA_FIRST
            significant = self._significant = [
                i for i, t in enumerate(self.texts) if t[0] not in trivia]
        return significant

    @property
    def index(self) -> "LineIndex":
        """Offset -> (line, col), built on first use: only findings and errors need positions."""
        index = self._index
        if index is None:
            index = self._index = LineIndex(self.text)
        return index


def lex(text: str) -> list:
    """Every lexeme of ``text`` in order; ParseError at a character no lexeme accepts."""
    texts = _LEXEME.findall(text)
    if sum(map(len, texts)) != len(text):  # some character no lexeme accepts
        _check_characters(text)
    return texts


def kind_of(lexeme: str) -> str:
    """``string``, ``number``, ``ident`` or ``punct`` from a significant lexeme's text."""
    first = lexeme[0]
    if first in "\"\'":
        return STRING
    if first in "{}<>[]:,;":
        return PUNCT
    if first.isalpha() or first == "_" or (first == "-" and len(lexeme) > 1
                                          and (lexeme[1].isalpha() or lexeme[1] == "_")):
        return IDENT
    return NUMBER


def _check_characters(text: str) -> None:
    """Raise ParseError at the first character the lexer cannot place (slow path)."""
    every_char = re.compile(_LEXEME.pattern + "|.", re.S)  # compiled here: off the start-up path
    start = 0
    for lexeme in every_char.findall(text):
        if len(lexeme) == 1 and lexeme not in _TRIVIA_FIRST and not _is_lexeme(lexeme):
            _raise_bad_char(text, start)
        start += len(lexeme)


def _is_lexeme(lexeme: str) -> bool:
    """False for the catch-all single characters the lexer could not place."""
    return lexeme in "{}<>[]:,;_" or lexeme.isalnum() and lexeme.isascii()


def _raise_bad_char(text: str, pos: int) -> None:
    line, col = LineIndex(text).position(pos)
    char = text[pos]
    if char == "$":
        raise ParseError("unexpected character '$' (a template placeholder such as ${...}? "
                         "fill it in before using the file)", line, col)
    if char in "\"'":
        raise ParseError("unterminated string (a string must close on the line it opens)", line, col)
    if char == "-":
        raise ParseError("`-` must be followed directly by a number", line, col)
    if char == "\x00" or not char.isprintable() and char not in "\t":
        raise ParseError(f"unexpected control character {char!r}", line, col)
    raise ParseError(f"unexpected character {char!r}", line, col)
