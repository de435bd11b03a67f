"""Applying fixes: the same minimal text edits every ptx command uses, then re-parse and re-lint.

Fixes of one round must not overlap (an overlapping fix waits for the next
round, computed on the new text); rounds stop when nothing applies.  A fix
that would leave the file unparsable is a bug, reported as an internal error.
"""
from __future__ import annotations

from typing import List, Tuple

from ..edits import apply_edits
from ..errors import PtxError
from ..problems import Problem

MAX_ROUNDS = 10


def applicable(problems: List[Problem], unsafe: bool) -> List[Problem]:
    return [p for p in problems
            if p.fix is not None and p.fix.edits and (p.fix.safe or unsafe)]


def _one_round(text: str, fixable: List[Problem]) -> Tuple[str, List[Problem]]:
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
    return apply_edits(text, [e for fix in fixes.values() for e in fix.edits]), taken


def fix_text(path: str, text: str, lint, unsafe: bool) -> Tuple[str, List[Problem], List[Problem]]:
    """(fixed text, problems fixed, problems remaining); ``lint(text)`` lints one version."""
    from ..syntax import ParseError, parse
    fixed: List[Problem] = []
    problems = lint(text)
    for _ in range(MAX_ROUNDS):
        fixable = applicable([p for p in problems if p.path == path], unsafe)
        if not fixable:
            break
        new_text, taken = _one_round(text, fixable)
        try:
            parse(new_text)
        except ParseError as exc:
            raise PtxError(f"internal error: fixes of {', '.join(p.code for p in taken)} "
                           f"broke the file ({exc.message})", path) from None
        if new_text == text:
            break
        text, problems = new_text, lint(new_text)
        fixed.extend(taken)
    return text, fixed, problems
