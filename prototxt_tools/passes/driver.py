"""Apply passes in order and refuse any result that is worse than the input.

Each pass runs on the re-parsed result of the previous one (one parse per pass).
The last result is compared with the input by the one checked applier
(``edits.check.verify``): a result that does not parse, or gains graph or shape
errors in some state of ``states_to_check``, is refused (PtxError, exit 2), so
nothing is ever written from a broken result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, List, Tuple, Union

from ..api import PtxFile, load
from ..edits.check import apply_parsed, verify
from . import get_pass

PassCall = Tuple[str, dict]


@dataclass(repr=False)
class EditOutcome:
    """The edited ``text``, what changed (one line each) and notes for the user."""

    text: str
    original: str
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def __repr__(self) -> str:
        """Short: the texts are whole files."""
        return (f"EditOutcome(changed={self.changed}, {len(self.changes)} change(s), "
                f"{len(self.notes)} note(s), {len(self.text)} characters)")


def edit(source: Union[str, PtxFile], passes: Iterable[PassCall], schema=None) -> EditOutcome:
    """Run ``passes`` (``[("replace_head", {"n": 20, "name": "fc8_flickr"}), ...]``, see
    ``passes.call``) on a path, prototxt text or PtxFile; PtxError when a pass refuses or
    the result is broken."""
    original = source if isinstance(source, PtxFile) else load(source, schema)
    current = original
    outcome = EditOutcome(original.text, original.text)
    for name, params in passes:
        result = get_pass(name).run(current, **params)
        outcome.changes += result.changes
        outcome.notes += [n for n in result.notes if n not in outcome.notes]
        if result.edits:
            current = apply_parsed(current, result.edits, "edit", f"'{name}'")
    if current is not original:
        verify(original, current)
    outcome.text = current.text
    return outcome
