"""Applying fixes: the same minimal text edits every ptx command uses, checked by the one
applier (``edits.check``), then re-linted.

Fixes of one round must not overlap (an overlapping fix waits for the next
round, computed on the new text); rounds stop when nothing applies.  A round
whose result does not parse or gains a graph or shape error is refused like any
edit: one line, exit 2, nothing written.
"""
from __future__ import annotations

from typing import List, Tuple

from ..edits import TextEdit
from ..problems import Problem

MAX_ROUNDS = 10


def applicable(problems: List[Problem], unsafe: bool) -> List[Problem]:
    return [p for p in problems
            if p.fix is not None and p.fix.edits and (p.fix.safe or unsafe)]


def _one_round(fixable: List[Problem]) -> Tuple[List[TextEdit], List[Problem]]:
    """Take every fix that touches no span another taken fix touches.  Findings that share
    one Fix (PTX306: a layer's fields move together) are all taken with it, its edits once."""
    taken, spans, fixes = [], [], {}
    for problem in fixable:
        if id(problem.fix) not in fixes:
            edits = problem.fix.edits
            if any(e.start < end and start < e.end or (e.start == start == e.end == end)
                   for e in edits for start, end in spans):
                continue
            spans.extend((e.start, e.end) for e in edits)
            fixes[id(problem.fix)] = problem.fix
        taken.append(problem)
    return [e for fix in fixes.values() for e in fix.edits], taken


def fix_text(path: str, text: str, lint, unsafe: bool) -> Tuple[str, List[Problem], List[Problem]]:
    """(fixed text, problems fixed, problems remaining); ``lint(text)`` lints one version."""
    from ..api import PtxFile
    from ..edits.check import apply_parsed, verify
    fixed: List[Problem] = []
    problems = lint(text)
    current = None
    for _ in range(MAX_ROUNDS):
        fixable = applicable([p for p in problems if p.path == path], unsafe)
        if not fixable:
            break
        edits, taken = _one_round(fixable)
        current = current or PtxFile(text, path)
        what = f"fix of {', '.join(dict.fromkeys(p.code for p in taken))}"
        after = apply_parsed(current, edits, what)
        if after.text == text:
            break
        verify(current, after, what)
        current, text, problems = after, after.text, lint(after.text)
        fixed.extend(taken)
    return text, fixed, problems
