"""Reading one scalar of the text format as a typed field value, as protobuf does.

The rules are protobuf's text parser's (the one Caffe links against):
integers are decimal, hex or C octal and must fit the field's range; float
fields also take integers and ``inf``/``-inf``/``infinity``/``nan`` words
(optionally ``f``-suffixed); bools are exactly ``true t 1 True`` /
``false f 0 False``; strings must be quoted; enums are value names, or the
number of a value the enum defines.  Kept apart from the tree walk so the net
view can read defaults and values with the same rules.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..syntax.values import BOOL_WORDS, escape_too_large
from .model import EnumType, FieldDef

_C_OCTAL = re.compile(r"(-?)0(\d+)$")
_FLOAT_OCTAL_PREFIX = re.compile(r"-?0[0-9]+")
_FLOAT_INFINITY = re.compile(r"-?inf(?:inity)?f?$", re.IGNORECASE)
_FLOAT_NAN = re.compile(r"nanf?$", re.IGNORECASE)
INT_RANGES = {
    "int32": (-2 ** 31, 2 ** 31 - 1), "sint32": (-2 ** 31, 2 ** 31 - 1),
    "sfixed32": (-2 ** 31, 2 ** 31 - 1), "uint32": (0, 2 ** 32 - 1), "fixed32": (0, 2 ** 32 - 1),
    "int64": (-2 ** 63, 2 ** 63 - 1), "sint64": (-2 ** 63, 2 ** 63 - 1),
    "sfixed64": (-2 ** 63, 2 ** 63 - 1), "uint64": (0, 2 ** 64 - 1), "fixed64": (0, 2 ** 64 - 1),
}
WRONG_TYPE = "PTX004"
UNKNOWN_ENUM = "PTX003"


class BadValue(ValueError):
    """A scalar the field cannot hold; ``code`` is the finding it becomes."""

    def __init__(self, message: str, code: str = WRONG_TYPE):
        super().__init__(message)
        self.code = code


def parse_integer(raw: str) -> Optional[int]:
    """The integer protobuf reads from ``raw`` (``010`` is octal), or None."""
    octal = _C_OCTAL.match(raw)
    text = octal.group(1) + "0o" + octal.group(2) if octal else raw
    try:
        return int(text, 0)
    except ValueError:
        return None


def parse_float(raw: str) -> Optional[float]:
    """The float protobuf reads from ``raw`` (numbers and inf/nan words), or None."""
    if _FLOAT_OCTAL_PREFIX.match(raw):
        return None
    for text in (raw, raw.rstrip("fF")):
        try:
            return float(text)
        except ValueError:
            pass
    if _FLOAT_INFINITY.match(raw):
        return float("-inf") if raw.startswith("-") else float("inf")
    if _FLOAT_NAN.match(raw):
        return float("nan")
    return None


def scalar_value(field: FieldDef, node, enum_type: Optional[EnumType] = None):
    """The python value for ``node`` in ``field``; raises BadValue when protobuf would refuse.

    Enums give the value's name (a number is mapped to its name).
    """
    quoted = node.text[0] in "\"'"  # a string literal (``node.kind == "string"``, read inline)
    # Only adjacent string literals span several lexemes; the text of any other
    # value is its one lexeme, read without rendering the node (which needs
    # every lexeme's offset in the file).
    raw = node.text if node.first == node.last else node.raw
    if field.type in ("string", "bytes"):
        if not quoted:
            raise BadValue(f"`{field.name}` takes a quoted string, found {_shown(raw)}")
        escape = next(filter(None, map(escape_too_large, node.lexemes)), None)
        if escape is not None:
            raise BadValue(f"`{field.name}`: Expected eight hex digits up to 10ffff for \\U "
                           f"escape sequence (found {escape})")
        return node.value  # the decoded literal(s), cached on the node
    if quoted:
        raise BadValue(f"`{field.name}` takes {_expected(field)}, not a string: "
                       f"write it without quotes" if _unquoted_ok(field, node, enum_type)
                       else f"`{field.name}` takes {_expected(field)}, found a string")
    if field.type in INT_RANGES:
        return _integer(field, raw)
    if field.type in ("float", "double"):
        value = parse_float(raw)
        if value is None:
            raise BadValue(f"`{field.name}` takes a number, found {_shown(raw)}")
        return value
    if field.type == "bool":
        if raw in BOOL_WORDS:
            return BOOL_WORDS[raw]
        raise BadValue(f"`{field.name}` takes true or false, found {_shown(raw)}")
    if field.type == "enum":
        return _enum_name(field, raw, enum_type)
    raise BadValue(f"`{field.name}` has a type ptx cannot read ({field.type})")


def _integer(field: FieldDef, raw: str) -> int:
    value = parse_integer(raw)
    if value is None:
        raise BadValue(f"`{field.name}` takes an integer ({field.type}), found {_shown(raw)}")
    low, high = INT_RANGES[field.type]
    if not low <= value <= high:
        raise BadValue(f"`{field.name}` is {field.type}: {raw} is out of range "
                       f"[{low}, {high}]")
    return value


def _enum_name(field: FieldDef, raw: str, enum_type: Optional[EnumType]) -> str:
    if enum_type is None:
        return raw
    if raw in enum_type.values:
        return raw
    number = _enum_number(raw)
    name = None if number is None else enum_type.name_of(number)
    if name is not None:
        return name
    if number is not None:
        message = f'Enum type "{enum_type.name}" has no value with number {number}.'
    else:
        message = f'Enum type "{enum_type.name}" has no value named {raw}.'
    raise BadValue(message + did_you_mean(raw, enum_type.values), UNKNOWN_ENUM)


def _enum_number(raw: str) -> Optional[int]:
    """Enum numbers are read with plain ``int(raw, 0)`` by protobuf: ``01`` is no number."""
    try:
        return int(raw, 0)
    except ValueError:
        return None


def did_you_mean(name: str, candidates) -> str:
    """`` Did you mean "x"?`` for the closest candidate (case first), or ``""``."""
    return _suggestion(name, tuple(candidates))


@lru_cache(maxsize=1024)
def _suggestion(name: str, candidates: tuple) -> str:
    """Cached: fork files repeat the same unknown names hundreds of times."""
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return f' Did you mean "{candidate}"?'
    import difflib  # only when a suggestion is needed: keeps it off the start-up path
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def _expected(field: FieldDef) -> str:
    if field.type == "enum":
        return f"an enum value ({field.type_name})"
    if field.type == "bool":
        return "true or false"
    return f"a number ({field.type})"


def _unquoted_ok(field: FieldDef, node, enum_type: Optional[EnumType]) -> bool:
    """Whether dropping the quotes would make the value valid (a more useful message)."""
    bare = node.value
    if field.type == "enum":
        return enum_type is not None and bare in enum_type.values
    if field.type == "bool":
        return bare in BOOL_WORDS
    if field.type in INT_RANGES:
        return parse_integer(bare) is not None
    return parse_float(bare) is not None


def _shown(raw: str) -> str:
    return f"`{raw if len(raw) <= 30 else raw[:27] + '...'}`"
