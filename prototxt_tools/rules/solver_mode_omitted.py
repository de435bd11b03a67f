"""The solver does not say `solver_mode: GPU`, so `caffe train` runs on the CPU.

## What it does
Reports solvers without a `solver_mode` field. The unsafe fix appends
`solver_mode: GPU`.

## Why it matters
The proto default is GPU, but `caffe train` uses the GPU only when the solver file
sets `solver_mode: GPU` explicitly (or `-gpu` is passed); otherwise it logs
`Use CPU.` and trains 10-50x slower, which is easy to miss in a long log.

## Example
```prototxt
base_lr: 0.01
max_iter: 10000
```

## Use instead
```prototxt
base_lr: 0.01
max_iter: 10000
solver_mode: GPU
```
"""
from __future__ import annotations

from ..edits.fields import insert_field
from .base import Fix

CODE = "PTX407"
NAME = "solver-mode-omitted"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    solver = context.solver
    if solver is None or solver.is_set("solver_mode"):
        return
    doc = context.ptx_file.doc
    if not doc.fields:
        return
    last = doc.fields[-1]
    edit = insert_field(doc, "solver_mode: GPU")
    yield context.report(last, (
        "solver_mode is not set: `caffe train` runs on the CPU unless the solver says "
        "solver_mode: GPU (or -gpu is given) -- add solver_mode: GPU"),
        fix=Fix("append solver_mode: GPU", (edit,), safe=False))
