"""Recursive-descent parser from lexemes to the concrete syntax tree.

Accepts the text format as Caffe files really use it: ``{}`` and ``<>``
blocks, an optional ``:`` before a message or list, ``,``/``;`` separators,
``[a, b]`` lists and adjacent string literals.  The parser walks only the
meaningful lexemes; trivia stays in the stream, between node ranges.

Why plain functions with locals instead of a parser object: the corpus has
about half a million meaningful lexemes, and a method call plus attribute
reads per lexeme cost more than building the tree.  One call is made per
message or list (recursion depth is bounded by MAX_DEPTH); fields and scalars
are read inline.  Positions are only computed when an error is raised.
"""
from __future__ import annotations

import gc
import os
from array import array
from contextlib import contextmanager

from .cst import _UNSET, Document, Field, ListValue, Message, Scalar
from .errors import ParseError
from .tokens import TokenStream

CPARSE_ABI = 1  # _cparse.c's ABI: the node classes and grammar it was written against
_NODE_CLASSES = (Field, Message, Scalar, ListValue, _UNSET)   # what it allocates


def _compiled_parser():
    """The compiled module, ready; None without it (no C compiler at install time), when
    ``PTX_PYTHON_PARSER`` is set, or when it was built from another version of the source
    (a stale build must slow ptx down, never break it)."""
    if os.environ.get("PTX_PYTHON_PARSER"):
        return None
    try:
        from . import _cparse
        if getattr(_cparse, "ABI", None) != CPARSE_ABI:
            return None
        _cparse.setup(*_NODE_CLASSES)
    except Exception:  # ImportError, or a build that does not fit these classes
        return None
    return _cparse


_cparse = _compiled_parser()
COMPILED = _cparse is not None

MAX_DEPTH = 100
_CLOSERS = {"{": "}", "<": ">"}
_PUNCT = frozenset("{}<>[]:,;")
_QUOTES = frozenset("\"'")
# A meaningful lexeme starting with one of these is a name (see tokens._LEXEME):
# numbers start with a digit, sign or dot, ``-name`` with a dash.
_NAME_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


def parse(text: str) -> Document:
    """Parse ``text`` into a Document; raise ParseError with line:col on bad syntax.

    The compiled parser (``_cparse``, when it was built) takes every text it
    can; it hands anything unusual, errors included, to the Python parser,
    which is the reference and the one that words errors.  The cyclic
    garbage collector is paused while the tree is built: the tree has no
    cycles, and collections triggered by the allocation of ~100k nodes would
    only walk them in vain.
    """
    with _collector_paused():
        compiled = _cparse.parse(text, _stream_from_starts) if _cparse is not None else None
        if compiled is not None:
            return Document(*compiled)
        return _parse_python(text)


def parse_python(text: str) -> Document:
    """The Python parser alone (the reference the compiled one is tested against)."""
    with _collector_paused():
        return _parse_python(text)


@contextmanager
def _collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_python(text: str) -> Document:
    stream = TokenStream(text)
    return Document(stream, _body(stream, stream.texts, stream.significant, 0, -1, 0)[0])


def _stream_from_starts(text: str, starts: bytes) -> TokenStream:
    """The compiled parser's lexemes: their start offsets as native int64s."""
    offsets = array("q")
    offsets.frombytes(starts)
    return TokenStream(text, starts=offsets)


def _body(stream: TokenStream, texts: list, sig: list, p: int, opener: int, depth: int) -> tuple:
    """Fields from meaningful lexeme ``p`` up to the closer of ``opener`` (-1: end of file).

    Returns ``(fields, position of the closer)``."""
    fields = []
    append = fields.append
    n = len(sig)
    while p < n:
        name_i = sig[p]
        name = texts[name_i]
        if name[0] in _NAME_FIRST:
            p += 1
            text = texts[sig[p]] if p < n else ""
            colon = -1
            if text == ":":
                colon = sig[p]
                p += 1
                text = texts[sig[p]] if p < n else ""
            if text == "{" or text == "<":
                value, p = _message(stream, texts, sig, p, depth + 1)
            elif text == "[":
                value, p = _list(stream, texts, sig, p, depth + 1)
            elif colon < 0:
                raise _error(stream, f"expected `:` or `{{` after `{name}`, found "
                                  f"{_describe(stream, p)}", p)
            elif not text or text[0] in _PUNCT:
                raise _error(stream, f"expected a value after `{name}:`, found "
                                  f"{_describe(stream, p)}", p)
            else:
                value_i = sig[p]
                p += 1
                if text[0] in _QUOTES:
                    p = _after_strings(texts, sig, p)
                value = Scalar(stream, value_i, sig[p - 1], text)
            append(Field(stream, name_i, value, colon, name))
        elif name == "}" or name == ">":
            if opener < 0 or _CLOSERS[texts[sig[opener]]] != name:
                _raise_bad_closer(stream, opener, p)
            return fields, p
        elif name == "," or name == ";":
            p += 1
        else:
            raise _error(stream, f"expected a field name, found {_describe(stream, p)}", p)
    if opener >= 0:
        raise _error(stream, f"unclosed `{_lexeme(stream, opener)}` opened at "
                          f"{_where(stream, opener)}", p)
    return fields, p


def _after_strings(texts: list, sig: list, p: int) -> int:
    """Adjacent string literals form one value: the position after the last of them."""
    n = len(sig)
    while p < n and texts[sig[p]][0] in _QUOTES:
        p += 1
    return p


def _message(stream: TokenStream, texts: list, sig: list, p: int, depth: int) -> tuple:
    """The block opened at ``p``: ``(Message, position after its closer)``."""
    if depth > MAX_DEPTH:
        raise _error(stream, f"nesting deeper than {MAX_DEPTH} levels", p)
    fields, close = _body(stream, texts, sig, p + 1, p, depth)
    return Message(stream, sig[p], sig[close], fields), close + 1


def _list(stream: TokenStream, texts: list, sig: list, p: int, depth: int) -> tuple:
    """The ``[...]`` list opened at ``p``: ``(ListValue, position after its ]``)."""
    opener = p
    n = len(sig)
    items = []
    p += 1
    text = texts[sig[p]] if p < n else ""
    if text != "]":
        while True:
            if text == "{" or text == "<":
                item, p = _message(stream, texts, sig, p, depth + 1)
            elif not text or text[0] in _PUNCT:
                raise _error(stream, f"expected a value in the list opened at "
                                  f"{_where(stream, opener)}, found {_describe(stream, p)}", p)
            else:
                item_i = sig[p]
                p += 1
                if text[0] in _QUOTES:
                    p = _after_strings(texts, sig, p)
                item = Scalar(stream, item_i, sig[p - 1], text)
            items.append(item)
            text = texts[sig[p]] if p < n else ""
            if text == "]":
                break
            if text != ",":
                raise _error(stream, f"expected `,` or `]` in the list opened at "
                                  f"{_where(stream, opener)}, found {_describe(stream, p)}", p)
            p += 1
            text = texts[sig[p]] if p < n else ""
    return ListValue(stream, sig[opener], sig[p], items), p + 1


# -- errors (cold path: positions are computed here only) ------------------
def _raise_bad_closer(stream: TokenStream, opener: int, p: int) -> None:
    text = _lexeme(stream, p)
    if opener < 0:
        raise _error(stream, f"unexpected `{text}`: no block is open here", p)
    expected = _CLOSERS[_lexeme(stream, opener)]
    raise _error(stream, f"expected `{expected}` to close `{_lexeme(stream, opener)}` opened at "
                      f"{_where(stream, opener)}, found `{text}`", p)


def _error(stream: TokenStream, message: str, p: int) -> ParseError:
    """An error at the meaningful lexeme number ``p`` (end of file past the last)."""
    if p < len(stream.significant):
        offset = stream.starts[stream.significant[p]]
    else:
        offset = len(stream.text)
    line, col = stream.index.position(offset)
    return ParseError(message, line, col)


def _where(stream: TokenStream, p: int) -> str:
    line, col = stream.index.position(stream.starts[stream.significant[p]])
    return f"{line}:{col}"


def _describe(stream: TokenStream, p: int) -> str:
    if p >= len(stream.significant):
        return "end of file"
    text = _lexeme(stream, p)
    return f"`{text if len(text) <= 20 else text[:17] + '...'}`"


def _lexeme(stream: TokenStream, p: int) -> str:
    sig = stream.significant
    return stream.texts[sig[p]] if p < len(sig) else ""
