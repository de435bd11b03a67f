"""Reading scalar nodes as the Python values protobuf's text format would give.

Used where the views need a value without a schema (rules, param specs, bias
flags): the accepted spellings follow protobuf's tokenizer.  A spelling
protobuf would reject is returned unchanged, so the caller (and the schema
checker) still sees what the user wrote.
"""
from __future__ import annotations

from ..syntax.values import parse_float_word

_TRUE = frozenset(("true", "True", "t", "1"))
_FALSE = frozenset(("false", "False", "f", "0"))
PHASES = ("TRAIN", "TEST")  # caffe.Phase: TRAIN = 0, TEST = 1


def as_bool(value):
    """``true``/``t``/``1`` → True, ``false``/``f``/``0`` → False, anything else unchanged."""
    if isinstance(value, bool):
        return value
    text = str(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return value


def as_float(value):
    """Numbers and ``inf``/``-inf``/``nan`` words as float, anything else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    word = parse_float_word(str(value))
    return value if word is None else word


def as_phase(value):
    """``TRAIN``/``TEST`` from the enum name or number; anything else unchanged."""
    if isinstance(value, int) and 0 <= value < len(PHASES):
        return PHASES[value]
    return value
