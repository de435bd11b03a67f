"""The solver names no train net, several, or a net file that does not exist.

## What it does
Checks that exactly one of `net`, `net_param`, `train_net`, `train_net_param` is
given, and that every named net file (`net`, `train_net`, `test_net`) exists when
resolved against one of the folders `caffe train` may run from: `--root` (default:
the working directory), the config's `roots` for the solver's path, the solver's
own folder, the repository root. Which one worked is said by `solver-root`
(PTX410) when it is not `--root`.

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
    from ..lint.roots import locate, tried
    for ref in refs:
        if locate(context, ref.path, os.path.isfile) is None:
            yield context.report(ref.node, (
                f"Check failed: fd != -1 (-1 vs. -1) File not found: {ref.path} -- not found "
                f"against {tried(context)} (caffe resolves solver paths from its working "
                f"directory; the config's `roots` can name it)"))
