"""Text edits against source spans: the only way ptx changes a user's file.

Passes never mutate the syntax tree; they return TextEdits, the driver
applies them to the original text and parses the result again.  Keeping
edits as span replacements is what makes a diff touch only what it must.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List


@dataclass(frozen=True)
class TextEdit:
    """Replace ``text[start:end]`` with ``replacement`` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


class OverlappingEdits(ValueError):
    """Two edits touch the same characters; applying both would be ambiguous."""


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply non-overlapping edits; insertions at one offset keep their given order."""
    ordered: List[TextEdit] = sorted(enumerate(edits), key=lambda e: (e[1].start, e[1].end, e[0]))
    out = []
    pos = 0
    for _, edit in ordered:
        if edit.start < pos:
            raise OverlappingEdits(f"edit at {edit.start} overlaps an earlier edit ending at {pos}")
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)
