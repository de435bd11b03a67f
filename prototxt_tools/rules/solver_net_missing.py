"""The solver names no train net, several, or a net file that does not exist.

## What it does
Checks that exactly one of `net`, `net_param`, `train_net`, `train_net_param` is
given, and that every named net file (`net`, `train_net`, `test_net`) exists when
resolved against `--root` (default: the working directory), which is how
`caffe train` resolves them.

## Why it matters
Caffe aborts before training:
`SolverParameter must specify a train net using one of these fields: net, net_param, train_net, train_net_param`,
or, for a missing file, `Check failed: fd != -1 (-1 vs. -1) File not found: <file>`.
Solver paths are relative to where `caffe` runs, not to the solver file.

## Example
```prototxt
net: "models/bvlc_alexnet/train_val.prototxt"   # run from another directory
```

## Use instead
Run from the directory the paths assume (lint with `--root` set to it), or write the
path relative to that directory.
"""
from __future__ import annotations

import os

from .base import first_field

CODE = "PTX401"
NAME = "solver-net-missing"
SEVERITY = "error"
OPTIONS: dict = {}

TRAIN_FIELDS = ("net", "net_param", "train_net", "train_net_param")


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    given = [doc.get(name) for name in TRAIN_FIELDS if doc.has(name)]
    if not given:
        yield context.report(first_field(doc), (
            "SolverParameter must specify a train net using one of these fields: net, "
            "net_param, train_net, train_net_param"))
    elif len(given) > 1:
        yield context.report(given[1], (
            "SolverParameter must not contain more than one of these fields specifying a "
            "train_net: net, net_param, train_net, train_net_param"))
    refs = [r for r in (solver.net, solver.train_net) if r is not None] + solver.test_net
    for ref in refs:
        resolved = context.resolve(ref.path)
        if not os.path.isfile(resolved):
            yield context.report(ref.node, (
                f"Check failed: fd != -1 (-1 vs. -1) File not found: {ref.path} -- resolved "
                f"against --root {context.options.root!r} (caffe resolves solver paths from its "
                f"working directory)"))
