"""``ptx upgrade``: Caffe's format upgrades as text edits that keep comments and layout.

Steps run in Caffe's order (UpgradeNetAsNeeded): V0→V1, data-transform
fields, V1→V2, input fields → Input layer, BatchNorm param specs; a solver
gets the solver_type step.  Each step is a pure function from a parsed
Document to text edits plus a report; ``upgrade_text`` applies them and parses
the result again before the next step, so every step sees real syntax, and
``ptx upgrade`` checks the result like every edit (``edits.check``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from ..errors import PtxError
from ..registry import Registry
from ..syntax import Document
from .step import Change


@dataclass
class UpgradeResult:
    """The upgraded text, what changed (in order), and whether anything needed upgrading."""

    text: str
    changes: List[Change] = field(default_factory=list)
    needed: bool = False


# Caffe's order (UpgradeNetAsNeeded); each step module has ``run(doc) -> StepResult``.
NET_STEPS = Registry("upgrade step", [f"{__name__}.{name}" for name in (
    "v0", "data_transform", "v1", "net_input", "batchnorm")])
SOLVER_STEPS = Registry("upgrade step", [f"{__name__}.solver"])


def steps_for(doc: Document) -> tuple:
    """The steps for this kind of file, in Caffe's order.  Imported on first use, not with
    the package: lint rules read ``upgrade.tables`` on every net, and the steps' modules
    would add milliseconds to every ``ptx lint`` start."""
    from ..net.kind import NET, SOLVER, file_kind
    steps = {NET: NET_STEPS, SOLVER: SOLVER_STEPS}.get(file_kind(doc))
    return tuple(steps) if steps is not None else ()


def upgrade_text(text: str, path: str = "<text>", check: bool = False) -> UpgradeResult:
    """Upgrade the prototxt ``text`` (a net or a solver); other files come back unchanged.
    Each step's result is parsed again (``edits.check.reparse``); with ``check`` the result
    must not gain graph or shape errors either (``edits.check.verify``), as for any edit
    ptx writes.  Impossible upgrades and refused results are PtxErrors naming ``path``."""
    from ..api import PtxFile
    from ..edits.check import apply_parsed, verify
    original = current = PtxFile(text, path)
    changes: List[Change] = []
    for step in steps_for(current.doc):
        try:
            outcome = step.run(current.doc)
        except PtxError as exc:
            raise PtxError(exc.message, path, exc.line, exc.col) from None
        if outcome.edits:
            changes.extend(outcome.changes)
            current = apply_parsed(current, outcome.edits, "upgrade",
                                   f"step {step.__name__.rpartition('.')[2]}")
    if check and current is not original:
        verify(original, current, "upgrade")
    return UpgradeResult(current.text, changes, current is not original)


def needs_upgrade(doc: Document) -> bool:
    """True when some step would change ``doc`` (Caffe would upgrade it on load)."""
    return any(step.run(doc).edits for step in steps_for(doc))


__all__ = ["UpgradeResult", "Change", "upgrade_text", "needs_upgrade"]
