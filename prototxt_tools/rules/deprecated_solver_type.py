"""The solver uses the deprecated `solver_type` enum.

## What it does
Reports `solver_type: X`; the safe fix replaces it with the string field Caffe
upgrades it to (`type: "Adam"`...). Both fields together are reported as fatal.

## Why it matters
Caffe upgrades `solver_type` on read, but both together abort:
`Failed to upgrade solver: old solver_type field (enum) and new type field (string) cannot be both specified in solver proto text.`
Tools reading solvers without Caffe's upgrade miss the type.

## Example
```prototxt
solver_type: ADAM
```

## Use instead
```prototxt
type: "Adam"
```
"""
from __future__ import annotations

from .base import Fix

CODE = "PTX409"
NAME = "deprecated-solver-type"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    field = doc.get("solver_type")
    if field is None:
        return
    from ..errors import PtxError
    from ..upgrade import solver as upgrade_solver
    from ..upgrade.tables import BOTH_SOLVER_TYPES_MESSAGE, SOLVER_TYPES
    if doc.has("type"):
        yield context.report(field, f"{BOTH_SOLVER_TYPES_MESSAGE} -- remove solver_type",
                             severity="error")
        return
    new = SOLVER_TYPES.get(solver.get("solver_type"))
    try:   # the edits of `ptx upgrade`'s solver_type step
        fix = Fix(f'replace with type: "{new}"', tuple(upgrade_solver.run(doc).edits))
    except PtxError:
        fix = None
    yield context.report(field, f"solver_type is deprecated -- write type: \"{new or '...'}\"",
                         fix=fix)
