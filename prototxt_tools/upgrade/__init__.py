"""``ptx upgrade``: Caffe's format upgrades as text edits that keep comments and layout.

Steps run in Caffe's order (UpgradeNetAsNeeded): V0→V1, data-transform
fields, V1→V2, input fields → Input layer, BatchNorm param specs; a solver
gets the solver_type step.  Each step is a pure function from a parsed
Document to text edits plus a report; the driver applies them and parses
the result again before the next step, so every step sees real syntax.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from ..edits import apply_edits
from ..errors import PtxError
from ..syntax import Document, ParseError, parse
from .step import Change


@dataclass
class UpgradeResult:
    """The upgraded text, what changed (in order), and whether anything needed upgrading."""

    text: str
    changes: List[Change] = field(default_factory=list)
    needed: bool = False


def steps_for(doc: Document) -> tuple:
    """The steps for this kind of file, in Caffe's order (UpgradeNetAsNeeded).

    Imported here, not with the package: lint rules read ``upgrade.tables`` on every
    net, and the steps' modules would add milliseconds to every ``ptx lint`` start."""
    from ..net.kind import NET, SOLVER, file_kind
    kind = file_kind(doc)
    if kind == NET:
        from . import batchnorm, data_transform, net_input, v0, v1
        return (v0, data_transform, v1, net_input, batchnorm)
    if kind == SOLVER:
        from . import solver
        return (solver,)
    return ()


def upgrade_document(doc: Document, path: str = "<text>") -> UpgradeResult:
    """Run every step that applies; raise PtxError (with ``path``) for impossible upgrades."""
    text, changes, needed = doc.text, [], False
    for step in steps_for(doc):
        try:
            outcome = step.run(doc)
        except PtxError as exc:
            raise PtxError(exc.message, path, exc.line, exc.col) from None
        if not outcome.edits:
            continue
        needed = True
        changes.extend(outcome.changes)
        text = apply_edits(text, outcome.edits)
        doc = _reparse(text, path, step)
    return UpgradeResult(text, changes, needed)


def upgrade_text(text: str, path: str = "<text>") -> UpgradeResult:
    """Upgrade the prototxt ``text`` (a net or a solver); other files come back unchanged."""
    try:
        doc = parse(text)
    except ParseError as exc:
        raise PtxError(exc.message, path, exc.line, exc.col) from None
    return upgrade_document(doc, path)


def needs_upgrade(doc: Document) -> bool:
    """True when some step would change ``doc`` (Caffe would upgrade it on load)."""
    return any(step.run(doc).edits for step in steps_for(doc))


def _reparse(text: str, path: str, step) -> Document:
    try:
        return parse(text)
    except ParseError as exc:  # a bug in a step, not in the user's file
        raise RuntimeError(f"{path}: upgrade step {step.__name__} produced text that does not "
                           f"parse: {exc}") from exc


__all__ = ["UpgradeResult", "Change", "upgrade_text", "upgrade_document", "needs_upgrade"]
