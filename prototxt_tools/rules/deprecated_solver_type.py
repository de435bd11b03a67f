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

from ..edits import TextEdit
from .base import Fix

CODE = "PTX409"
NAME = "deprecated-solver-type"
SEVERITY = "warning"
OPTIONS: dict = {}

TYPES = {"SGD": "SGD", "NESTEROV": "Nesterov", "ADAGRAD": "AdaGrad", "RMSPROP": "RMSProp",
         "ADADELTA": "AdaDelta", "ADAM": "Adam", 0: "SGD", 1: "Nesterov", 2: "AdaGrad",
         3: "RMSProp", 4: "AdaDelta", 5: "Adam"}


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    field = doc.get("solver_type")
    if field is None:
        return
    if doc.has("type"):
        yield context.report(field, (
            "Failed to upgrade solver: old solver_type field (enum) and new type field (string) "
            "cannot be both specified in solver proto text. -- remove solver_type"),
            severity="error")
        return
    new = TYPES.get(field.value.value)
    fix = None if new is None else Fix(
        f'replace with type: "{new}"', (TextEdit(field.start, field.end, f'type: "{new}"'),))
    yield context.report(field, f"solver_type is deprecated -- write type: \"{new or '...'}\"",
                         fix=fix)
