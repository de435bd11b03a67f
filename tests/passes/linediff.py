"""A line diff of two texts, for tests that check an edit touched only the lines it must.

Deliberately independent of ptx's edit engine (which produces span edits): the tests
compare what changed in the texts, however ptx computed it.
"""
from __future__ import annotations

import difflib
import re
from typing import List

from prototxt_tools.edits import TextEdit

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


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
