"""`lr_policy` is missing or unknown, or a field its formula needs is missing or zero.

## What it does
Checks `lr_policy` against Caffe's policies (fixed, step, exp, inv, multistep,
poly, sigmoid) and the fields each uses: step needs `stepsize` and `gamma`,
multistep `stepvalue` and `gamma`, exp `gamma`, inv `gamma` and `power`,
poly `power`, sigmoid `gamma` and `stepsize`.

## Why it matters
`lr_policy` has no default. Caffe only notices at the first update, after the net
is built and the first test has run: `Unknown learning rate policy: ` (empty) or
`Check failed: this->param_.stepsize() > 0 (0 vs. 0)`. An unset `gamma` drops the
rate to 0 at the first step; an unset `power` makes poly/inv constant.

## Example
```prototxt
base_lr: 0.01
lr_policy: "step"
gamma: 0.1
```

## Use instead
```prototxt
base_lr: 0.01
lr_policy: "step"
gamma: 0.1
stepsize: 100000
```
"""
from __future__ import annotations

from .base import first_field

CODE = "PTX402"
NAME = "lr-policy"
SEVERITY = "error"
OPTIONS: dict = {}

NEEDS = {"fixed": (), "step": ("stepsize", "gamma"), "exp": ("gamma",),
         "inv": ("gamma", "power"), "multistep": ("stepvalue", "gamma"),
         "poly": ("power",), "sigmoid": ("gamma", "stepsize")}
FATAL = {("step", "stepsize"), ("sigmoid", "stepsize")}


def _missing(solver, doc, name: str) -> bool:
    if name == "stepvalue":
        return not doc.has("stepvalue")
    value = solver.get(name)
    return not doc.has(name) or not value


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    field = doc.get("lr_policy")
    if field is None:
        yield context.report(first_field(doc), (
            "Unknown learning rate policy:  -- lr_policy has no default; Caffe fails at the "
            "first update, after building the nets -- add lr_policy: \"fixed\" (or step, poly...)"))
        return
    policy = str(field.value.value)
    if policy not in NEEDS:
        from ..schema.values import did_you_mean
        yield context.report(field.value, f"Unknown learning rate policy: {policy}"
                                          f"{did_you_mean(policy, sorted(NEEDS))}")
        return
    for name in NEEDS[policy]:
        if not _missing(solver, doc, name):
            continue
        if (policy, name) in FATAL:
            message = (f"Check failed: this->param_.{name}() > 0 (0 vs. 0) -- lr_policy "
                       f"\"{policy}\" needs {name}")
        elif name == "gamma":
            message = (f"lr_policy \"{policy}\" without gamma: gamma defaults to 0, so the "
                       f"learning rate drops to 0 -- set gamma (e.g. 0.1)")
        else:
            message = f"lr_policy \"{policy}\" without {name}: the rate never changes -- set {name}"
        yield context.report(field, message, severity="error" if (policy, name) in FATAL
                             else "warning")
