"""Text edits against source spans: the only way ptx changes a user's file.

Passes, upgrade steps and lint fixes never mutate the syntax tree; they return
TextEdits.  Keeping edits as span replacements is what makes a diff touch only
what it must.  The package holds the whole edit engine, one job per module:

- here: ``TextEdit`` and ``apply_edits``;
- ``layout``: the file's look (line ending, indent, quote) and line-aware removal;
- ``fields``: set, insert, rename and remove fields in that look;
- ``draft``: edits made in steps, each on the previous result, as edits of the original;
- ``check``: the one checked applier (apply, parse again, refuse new errors).
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
