"""The learning rate is scheduled to change only after training ends.

## What it does
Reports `stepsize >= max_iter` with the step policy and `stepvalue` entries
`>= max_iter` (or not increasing) with multistep.

## Why it matters
Caffe accepts it, but the rate never drops: the whole run trains at `base_lr`,
which is rarely what a step schedule was written for (often `max_iter` was
shortened and the schedule forgotten).

## Example
```prototxt
lr_policy: "step"  stepsize: 100000  max_iter: 45000
```

## Use instead
```prototxt
lr_policy: "step"  stepsize: 15000  max_iter: 45000
```
"""
from __future__ import annotations

CODE = "PTX403"
NAME = "stepsize-vs-max-iter"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    policy, max_iter = solver.get("lr_policy"), solver.get("max_iter")
    if not isinstance(max_iter, int) or max_iter <= 0:
        return
    if policy == "step" and doc.has("stepsize"):
        stepsize = solver.get("stepsize")
        if isinstance(stepsize, int) and stepsize >= max_iter:
            yield context.report(doc.get("stepsize"), (
                f"stepsize {stepsize} >= max_iter {max_iter}: the learning rate never drops"))
    if policy == "multistep":
        previous = 0
        for node in doc.values("stepvalue"):
            value = node.value
            if isinstance(value, int) and value >= max_iter:
                yield context.report(node, f"stepvalue {value} >= max_iter {max_iter}: "
                                           f"this step never happens")
            elif isinstance(value, int) and value <= previous:
                yield context.report(node, f"stepvalue {value} is not above the previous one "
                                           f"({previous}): Caffe advances one step per iteration")
            previous = value if isinstance(value, int) else previous
