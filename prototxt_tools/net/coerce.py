"""Reading scalar nodes as the Python values protobuf's text format would give.

Used where the views need a value without a schema (rules, param specs, bias
flags): the accepted spellings follow protobuf's tokenizer.  A spelling
protobuf would reject is returned unchanged, so the caller (and the schema
checker) still sees what the user wrote.
"""
from __future__ import annotations

from ..syntax.values import BOOL_WORDS, parse_float_word

PHASES = ("TRAIN", "TEST")  # caffe.Phase: TRAIN = 0, TEST = 1


def as_bool(value):
    """``true``/``t``/``1`` → True, ``false``/``f``/``0`` → False, anything else unchanged."""
    if isinstance(value, bool):
        return value
    return BOOL_WORDS.get(str(value), value)


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
