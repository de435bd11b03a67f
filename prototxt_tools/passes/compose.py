"""Passes built from other passes, as precise span edits of the original text.

``combine`` runs every step on the same file (one parse): right when the steps
touch different spans, as a head replacement's rename, num_output, multipliers
and fillers do.  ``run_steps`` runs each step on the result of the previous one
(a parse per step): for steps that must see what an earlier one did.  Either
way the result is the edits of the original that changed, not a line diff.  A step's
"nothing to change" note is kept only when no step changed anything.
"""
from __future__ import annotations

from typing import Callable, Iterable, List

from ..api import PtxFile
from ..edits.check import applied, reparse
from ..edits.draft import Draft
from .base import NOTHING, EditResult

Step = Callable[[PtxFile], EditResult]


def combine(ptx_file: PtxFile, steps: Iterable[Step]) -> EditResult:
    """Every step on ``ptx_file`` itself; their edits together (an edit two steps both
    make counts once).  Overlapping different edits are a bug of the caller: refused."""
    total = EditResult()
    for step in steps:
        result = step(ptx_file)
        total.changes += result.changes
        total.notes += result.notes
        total.edits += [e for e in result.edits if e not in total.edits]
    applied(ptx_file, total.edits, "edit", "the steps of one pass")   # overlaps: refused now
    return _settled(total)


def relabelled(step: Step, old: str, new: str) -> Step:
    """``step`` reporting layer ``'old'`` as ``'new'``: for a step combined with the
    rename of its layer, which it sees under the old name."""
    def run(ptx_file: PtxFile) -> EditResult:
        result = step(ptx_file)
        quoted_old, quoted_new = f"'{old}'", f"'{new}'"
        return EditResult(result.edits, [c.replace(quoted_old, quoted_new) for c in result.changes],
                          [n.replace(quoted_old, quoted_new) for n in result.notes])
    return run


def run_steps(ptx_file: PtxFile, steps: Iterable[Step]) -> EditResult:
    """Apply ``steps`` in order, each on the re-parsed result of the previous one."""
    total = EditResult()
    draft = Draft(ptx_file.text)
    current = ptx_file
    for step in steps:
        result = step(current)
        total.changes += result.changes
        total.notes += result.notes
        if result.edits:
            applied(current, result.edits, "edit", "a step of one pass")   # overlaps: refused
            current = reparse(current, draft.apply(result.edits))
    total.edits = draft.edits()
    return _settled(total)


def _settled(total: EditResult) -> EditResult:
    """Notes kept once each; "nothing to change" ones only when nothing changed."""
    notes = list(dict.fromkeys(total.notes))
    if total.edits:
        notes = [n for n in notes if not n.startswith(NOTHING)]
    total.notes = notes
    return total


__all__ = ["Step", "combine", "relabelled", "run_steps"]
