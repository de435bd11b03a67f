"""`momentum` is out of range or does not suit the solver type.

## What it does
Reports `momentum >= 1`; a non-zero momentum with AdaGrad or RMSProp; and Adam
with momentum (its beta1) left at 0.

## Why it matters
With momentum >= 1 the update history never decays and training diverges.
Caffe aborts for `Momentum cannot be used with AdaGrad.` / `... with RMSProp.`
Adam takes beta1 from `momentum` (default 0): Adam then runs without its first
moment; the documented value is 0.9.

## Example
```prototxt
type: "Adam"
base_lr: 0.001
```

## Use instead
```prototxt
type: "Adam"
base_lr: 0.001
momentum: 0.9
momentum2: 0.999
```
"""
from __future__ import annotations

CODE = "PTX408"
NAME = "momentum"
SEVERITY = "error"
OPTIONS: dict = {}

_NO_MOMENTUM = ("AdaGrad", "RMSProp")


def _solver_type(solver) -> str:
    """The solver's type string; a deprecated ``solver_type`` enum is read as Caffe upgrades it."""
    if solver.is_set("type"):
        return str(solver.get("type"))
    if solver.is_set("solver_type"):
        from ..upgrade.tables import SOLVER_TYPES
        return SOLVER_TYPES.get(solver.get("solver_type"), "SGD")
    return "SGD"


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    field = doc.get("momentum")
    momentum = solver.get("momentum") if field is not None else 0.0
    kind = _solver_type(solver)
    if field is not None and isinstance(momentum, float) and momentum >= 1.0:
        yield context.report(field.value, f"momentum {momentum:g} >= 1: the update history never "
                                          f"decays and training diverges -- use 0.9")
    elif field is not None and momentum and kind in _NO_MOMENTUM:
        yield context.report(field, f"Momentum cannot be used with {kind}. "
                                    f"-- remove momentum")
    elif kind == "Adam" and not momentum:
        anchor = doc.get("type") or doc.get("solver_type")
        yield context.report(anchor, "Adam takes beta1 from momentum, which is 0 here: Adam runs "
                                     "without its first moment -- add momentum: 0.9",
                             severity="warning")
