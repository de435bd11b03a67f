"""Decoding and encoding of scalar literals, following protobuf's text format.

Kept apart from the tree so that the lossless layer never needs to
interpret a value to print it: raw text is what gets written back.
"""
from __future__ import annotations

import math
import re
from typing import Optional

_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
    "\\": "\\", "'": "'", '"': '"', "?": "?",
}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
MAX_CODE_POINT = 0x10FFFF
MAX_ESCAPE = 0x1FFFFF  # the largest \U escape Caffe's tokenizer accepts
_FLOAT_WORDS = {"inf": math.inf, "infinity": math.inf, "nan": math.nan}
# The bool spellings protobuf's text parser accepts (exactly these, case included).
BOOL_WORDS = {"true": True, "t": True, "1": True, "True": True,
              "false": False, "f": False, "0": False, "False": False}


def unescape_string(literal: str) -> str:
    """The value of one quoted literal (quotes included in ``literal``)."""
    body = literal[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPE.sub(_replace_escape, body)


def _replace_escape(m: "re.Match") -> str:
    esc = m.group(1)
    if esc in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[esc]
    if esc[0] == "x":
        return chr(int(esc[1:], 16))
    if esc[0] in "uU":
        number = int(esc[1:], 16)
        return m.group(0) if number > MAX_CODE_POINT else _code_point(number)
    if esc[0].isdigit():
        return chr(int(esc, 8))
    return esc  # unknown escapes keep the character, as protobuf's tokenizer does


def _code_point(number: int) -> str:
    """The character, or U+FFFD for a lone surrogate (Caffe's tokenizer accepts one, but
    no str can encode it).  An escape above U+10FFFF never gets here: Caffe keeps its text
    as written (up to 0x1FFFFF; above, validation reports it)."""
    if 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    return chr(number)


def escape_too_large(literal: str) -> Optional[str]:
    """The first ``\\UXXXXXXXX`` escape of one string literal that Caffe's tokenizer refuses
    (above 0x1FFFFF: "Expected eight hex digits up to 10ffff for \\U escape sequence"), or None."""
    if "\\U" not in literal:
        return None
    for m in _ESCAPE.finditer(literal):
        esc = m.group(1)
        if esc[0] == "U" and int(esc[1:], 16) > MAX_ESCAPE:
            return m.group(0)
    return None


def parse_number(text: str):
    """int for integer literals (decimal, hex, octal), float for the rest."""
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    if body[:2] in ("0x", "0X"):
        return sign * int(body[2:], 16)
    if re.fullmatch(r"\d+", body):
        if len(body) > 1 and body[0] == "0" and re.fullmatch(r"[0-7]+", body):
            return sign * int(body, 8)
        return sign * int(body)
    return sign * float(body.rstrip("fF"))


def parse_float_word(text: str):
    """``inf``, ``-inf``, ``nan``... as floats; None for any other identifier."""
    sign = -1.0 if text.startswith("-") else 1.0
    word = _FLOAT_WORDS.get(text.lstrip("-").lower())
    return None if word is None else sign * word


def decode_scalar(kind: str, texts: list):
    if kind == "string":
        if len(texts) == 1:
            return unescape_string(texts[0])
        return "".join(unescape_string(t) for t in texts)
    if kind == "number":
        return parse_number(texts[0])
    return texts[0]


def quote_string(value: str, quote: str = '"') -> str:
    """A text-format literal for ``value`` using ``quote``."""
    out = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return quote + out + quote


def format_number(value) -> str:
    """Shortest text for an int or float that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if math.isnan(value):
        return "nan"
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)
