"""Apply passes in order and refuse any result that is worse than the input.

Each pass runs on the re-parsed result of the previous one.  At the end the
result is parsed again and its graph built in every net state (TRAIN, TEST, and
each with the stages the include/exclude rules name): if it does not parse, or a
state gains graph errors it did not have, the edit is refused with the reason
(PtxError, exit 2), so nothing is ever written from a broken result.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Tuple, Union

from ..api import PtxFile, load
from ..edits import apply_edits
from ..errors import PtxError
from ..problems import ERROR
from . import REGISTRY, get_pass
from .base import net_states

PassCall = Tuple[str, dict]


@dataclass
class EditOutcome:
    """The edited ``text``, what changed (one line each) and notes for the user."""

    text: str
    original: str
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def edit(source: Union[str, PtxFile], passes: Iterable[PassCall], schema=None) -> EditOutcome:
    """Run ``passes`` (``[("replace_head", {"n": 20, "name": "fc8_flickr"}), ...]``) on a
    path, prototxt text or PtxFile; PtxError when a pass refuses or the result is broken."""
    original = source if isinstance(source, PtxFile) else load(source, schema)
    current = original
    outcome = EditOutcome(original.text, original.text)
    for name, params in passes:
        if name not in REGISTRY:
            raise PtxError(f"unknown edit pass '{name}' (known: {', '.join(REGISTRY)})")
        result = get_pass(name)(current, **params)
        outcome.changes += result.changes
        outcome.notes += [n for n in result.notes if n not in outcome.notes]
        if result.edits:
            current = _reparse(current, apply_edits(current.text, result.edits), name)
    if current is not original:
        verify(original, current)
    outcome.text = current.text
    return outcome


def _reparse(ptx_file: PtxFile, text: str, pass_name: str) -> PtxFile:
    try:
        return PtxFile(text, ptx_file.path, ptx_file.schema_path)
    except PtxError as exc:
        raise PtxError(f"edit refused: after '{pass_name}' the net no longer parses "
                       f"(line {exc.line}: {exc.message}); nothing written",
                       ptx_file.path) from None


def verify(before: PtxFile, after: PtxFile) -> None:
    """PtxError naming the first new graph error of any net state, if there is one."""
    states: List[Tuple[str, Sequence[str]]] = list(net_states(before))
    states += [s for s in net_states(after) if s not in states]
    for phase, stages in states:
        old = _errors(before, phase, stages)
        new = _errors(after, phase, stages)
        gained = Counter(p.code for p in new) - Counter(p.code for p in old)
        if gained:
            first = next(p for p in new if p.code in gained)
            where = phase + (f" stage {stages[0]}" if stages else "")
            raise PtxError(f"edit refused: the result has a new error in {where} at line "
                           f"{first.line}: {first.message} [{first.code}]; nothing written",
                           after.path)


def _errors(ptx_file: PtxFile, phase: str, stages) -> list:
    return [p for p in ptx_file.graph(phase, 0, tuple(stages)).problems if p.severity == ERROR]
