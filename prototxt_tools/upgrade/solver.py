"""Solver ``solver_type: ENUM`` → ``type: "String"`` (UpgradeSolverType).

Only a written ``solver_type`` triggers it (Caffe checks ``has_solver_type``);
giving both fields is Caffe's fatal error, reported here with its message.
``snapshot_prefix`` defaulting (UpgradeSnapshotPrefixProperty) depends on
where the solver file lives at run time, so it is not a text upgrade.
"""
from __future__ import annotations

from ..edits import TextEdit
from ..errors import PtxError
from ..syntax import Document, Scalar
from .step import StepResult
from .tables import BOTH_SOLVER_TYPES_MESSAGE, SOLVER_TYPE_BY_NUMBER, SOLVER_TYPES
from ..edits.layout import detect_style, removal
from .text import quoted


def run(doc: Document) -> StepResult:
    result = StepResult()
    fields = doc.get_all("solver_type")
    if not fields:
        return result
    if doc.has("type"):
        raise PtxError(BOTH_SOLVER_TYPES_MESSAGE, line=fields[-1].line, col=fields[-1].col)
    last = fields[-1]
    value = last.value
    name = None
    if isinstance(value, Scalar):
        name = SOLVER_TYPE_BY_NUMBER.get(value.value) if value.kind == "number" else value.value
    if name not in SOLVER_TYPES:
        raise PtxError(f"Unknown SolverParameter solver_type: {value.render()}", line=value.line,
                       col=value.col)
    new_value = quoted(SOLVER_TYPES[name], detect_style(doc))
    result.edits.append(TextEdit(last.start, last.name_end, "type"))
    result.edits.append(TextEdit(value.start, value.end, new_value))
    result.edits.extend(removal(doc, f) for f in fields[:-1])
    result.change(last, f"solver_type: {value.raw} → type: {new_value}")
    return result
