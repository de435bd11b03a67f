"""Passes built from other passes: run steps one after another, each on the re-parsed
result of the previous one, and express the total as line edits on the original text.

Applying steps in sequence avoids overlapping edits (a rename and a value change
in the same layer); the line diff keeps the result minimal because each step
only touched the lines it had to.
"""
from __future__ import annotations

import difflib
import re
from typing import Callable, Iterable, List

from ..api import PtxFile
from ..edits import TextEdit, apply_edits
from .base import EditResult

Step = Callable[[PtxFile], EditResult]
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


def reparse(ptx_file: PtxFile, text: str) -> PtxFile:
    """A fresh PtxFile for ``text`` with the same path and schema (views are per text)."""
    return PtxFile(text, ptx_file.path, ptx_file.schema_path)


def run_steps(ptx_file: PtxFile, steps: Iterable[Step]) -> EditResult:
    """Apply ``steps`` in order; the result's edits turn the original text into the last."""
    total = EditResult()
    current = ptx_file
    for step in steps:
        result = step(current)
        total.changes += result.changes
        total.notes += result.notes
        if result.edits:
            current = reparse(current, apply_edits(current.text, result.edits))
    total.edits = line_edits(ptx_file.text, current.text)
    return total


def split_lines(text: str) -> List[str]:
    """Lines with their own endings (CRLF, LF or CR kept as written)."""
    return _LINES.findall(text)


def line_edits(old: str, new: str) -> List[TextEdit]:
    """Whole-line replacements turning ``old`` into ``new``."""
    if old == new:
        return []
    a, b = split_lines(old), split_lines(new)
    head = 0  # common leading and trailing lines are skipped: difflib is quadratic
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    offsets = [0]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    a_mid, b_mid = a[head:len(a) - tail], b[head:len(b) - tail]
    matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    return [TextEdit(offsets[head + i1], offsets[head + i2], "".join(b_mid[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
