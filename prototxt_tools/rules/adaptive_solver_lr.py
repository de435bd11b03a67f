"""An adaptive solver (Adam, RMSProp) with a learning rate sized for SGD.

## What it does
Reports a solver of `type: "Adam"` whose `base_lr` is above the `adam-max` option
(default 0.005; Caffe's Adam example uses 0.001), or of `type: "RMSProp"` above
`rmsprop-max` (default 0.01, the rate of Caffe's RMSProp example).

## Why it matters
Adaptive solvers divide each step by a running gradient magnitude, so every
weight moves by about `base_lr` per step whatever its gradient's scale. The
0.01-0.1 of SGD recipes then moves every weight by up to a hundred times more
than intended: the loss jumps, goes NaN or sticks at 87.3365, and Caffe says
nothing.

## Example
```prototxt
type: "Adam"
base_lr: 0.01
```

## Use instead
```prototxt
type: "Adam"
base_lr: 0.001
```
"""
from __future__ import annotations

CODE = "PTX411"
NAME = "adaptive-solver-lr"
SEVERITY = "warning"
OPTIONS = {"adam-max": (float, 0.005), "rmsprop-max": (float, 0.01)}

ADAPTIVE = {"adam": "Adam", "rmsprop": "RMSProp"}


def _solver_type(solver, doc) -> str:
    kind = solver.get("type") if doc.has("type") else solver.get("solver_type")
    return ADAPTIVE.get(str(kind or "").lower(), "")


def check(context, options):
    solver = context.solver
    doc = context.ptx_file.doc if solver is not None else None
    if solver is None or not doc.has("base_lr"):
        return
    kind = _solver_type(solver, doc)
    base_lr = solver.get("base_lr")
    limit = options[f"{kind.lower()}-max"] if kind else 0.0
    if not kind or not isinstance(base_lr, float) or base_lr <= limit:
        return
    yield context.report(doc.get("base_lr"), (
        f"base_lr {base_lr:g} with the {kind} solver: adaptive solvers move every weight by about "
        f"base_lr per step, so an SGD-sized rate diverges (NaN, or a loss stuck at 87.3365) -- "
        f"use about 0.001 (Caffe's Adam example), at most {limit:g}"))
