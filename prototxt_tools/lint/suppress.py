"""Inline suppressions: ``# ptx: disable=CODE[,NAME]`` comments in the prototxt itself.

- at the end of a line: that line;
- on a line of its own just above ``layer {`` (comments may stack): that whole layer;
  above anything else: the next line;
- ``# ptx: disable-file`` or ``# ptx: disable-file=CODES``: the whole file.
A bare ``disable`` (no ``=``) covers every rule.  Suppressions that match
nothing, or name unknown rules, become PTX008 findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Set, Tuple

from ..problems import Problem
from ..rules import unused_suppression

UNUSED_CODE = unused_suppression.CODE

_DIRECTIVE = re.compile(r"#\s*ptx:\s*(disable-file|disable)\b(?:\s*=\s*([\w\-, ]+))?")


@dataclass
class Suppression:
    line: int
    col: int
    lines: Optional[Tuple[int, int]]      # None = whole file
    selectors: Optional[List[str]]        # None = every rule
    used: Set[str] = field(default_factory=set)

    def covers(self, problem: Problem) -> Optional[str]:
        """The selector that matches ``problem`` here (``*`` for a bare disable), or None."""
        if self.lines is not None and not self.lines[0] <= problem.line <= self.lines[1]:
            return None
        if self.selectors is None:
            return "*"
        for selector in self.selectors:
            if selector.upper() == problem.code or selector.lower() == problem.name:
                return selector
        return None


def _comments(text: str, doc) -> List[Tuple[int, str]]:
    if doc is not None:
        return list(doc.comments())
    return [(m.start(), m.group(0)) for m in re.finditer(r"#[^\r\n]*", text)]


def _layer_span(doc, line: int) -> Optional[Tuple[int, int]]:
    for entry in doc.fields if doc is not None else ():
        if entry.name in ("layer", "layers") and entry.line == line:
            return entry.line, entry.end_position[0]
    return None


def _scope(text: str, doc, offset: int, line: int) -> Optional[Tuple[int, int]]:
    line_start = text.rfind("\n", 0, offset) + 1
    if text[line_start:offset].strip():
        return line, line
    lines = text.splitlines()
    target = line + 1
    while target <= len(lines) and (not lines[target - 1].strip()
                                    or lines[target - 1].lstrip().startswith("#")):
        target += 1
    return _layer_span(doc, target) or (target, target)


def find_suppressions(text: str, doc) -> List[Suppression]:
    found = []
    for offset, comment in _comments(text, doc):
        match = _DIRECTIVE.search(comment)
        if not match:
            continue
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        selectors = [s.strip() for s in (match.group(2) or "").split(",") if s.strip()] or None
        lines = None if match.group(1) == "disable-file" else _scope(text, doc, offset, line)
        found.append(Suppression(line, col, lines, selectors))
    return found


def apply_suppressions(problems: List[Problem], suppressions: List[Suppression],
                       path: str) -> List[Problem]:
    """Problems not suppressed, plus PTX008 findings for suppressions that did nothing."""
    kept = []
    for problem in problems:
        hits = [(s, s.covers(problem)) for s in suppressions]
        hits = [(s, sel) for s, sel in hits if sel is not None]
        for suppression, selector in hits:
            suppression.used.add(selector)
        if not hits:
            kept.append(problem)
    unused = [p for p in _unused(suppressions, path)
              if not any(s.covers(p) for s in suppressions)]
    return kept + unused


def _unused(suppressions: List[Suppression], path: str) -> List[Problem]:
    from ..rules import get
    out = []
    for s in suppressions:
        if s.selectors is None:
            if "*" not in s.used:
                out.append(_finding(path, s, "this ptx: disable comment suppresses nothing"))
            continue
        for selector in s.selectors:
            if get(selector) is None:
                out.append(_finding(path, s, f"unknown rule `{selector}` in ptx: disable"))
            elif selector not in s.used:
                out.append(_finding(path, s, f"`{selector}` is not reported here: remove it "
                                             f"from this ptx: disable comment"))
    return out


def _finding(path: str, s: Suppression, message: str) -> Problem:
    return Problem(path, s.line, s.col, UNUSED_CODE, unused_suppression.NAME, message,
                   unused_suppression.SEVERITY)
