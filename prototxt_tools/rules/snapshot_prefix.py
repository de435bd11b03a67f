"""The directory of `snapshot_prefix` does not exist (yet).

## What it does
Resolves `snapshot_prefix` against each root ptx tries (`--root`, config roots,
the solver's folder, the repository root) and reports it when its directory is
missing under all of them (a prefix that is itself a directory is fine: Caffe then writes
`<dir>/<solver name>_iter_N`).  Silent when nothing is ever written
(`snapshot: 0` with `snapshot_after_train: false`).

A warning, not an error: the file is right, the folder is a run-time artefact.  Git
keeps no empty folders, so a fresh clone usually lacks it and the training script
creates it (`mkdir -p`); missing data sources are not reported either.

## Why it matters
With `snapshot > 0` Caffe refuses to start:
`Cannot write to snapshot prefix '<p>'.  Make sure that the directory exists and is writable.`
With `snapshot: 0` nothing is checked up front, but `snapshot_after_train` (on by
default) writes the final model at the end: the run dies after all its iterations,
and the trained weights are lost.

## Example
```prototxt
snapshot_prefix: "snapshots/alexnet"   # snapshots/ was never created
```

## Use instead
Create the directory (`mkdir -p snapshots`) before training, or point the prefix at
an existing one.
"""
from __future__ import annotations

import os

CODE = "PTX406"
NAME = "snapshot-prefix"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    field = context.ptx_file.doc.get("snapshot_prefix")
    if field is None:
        return
    prefix = str(field.value.value)
    from ..lint.roots import locate, tried
    if not os.path.dirname(prefix) or locate(context, prefix, writable_prefix) is not None:
        return
    when = _when_caffe_fails(solver)
    if when is None:
        return
    folder = os.path.dirname(prefix)
    yield context.report(field.value, (
        f"Cannot write to snapshot prefix '{prefix}'.  Make sure that the directory exists and "
        f"is writable. -- {folder!r} does not exist under any root tried ({tried(context)}): "
        f"{when}; create it before training (`mkdir -p {folder}`; training scripts usually "
        f"do)"))


def _when_caffe_fails(solver):
    """When a missing folder stops Caffe: at start (``snapshot > 0``: Solver::Init probes
    the prefix), after the last iteration (the final snapshot), or never (None)."""
    if (solver.get("snapshot") or 0) > 0:
        return "`caffe train` refuses to start"
    if solver.get("snapshot_after_train") is False:
        return None
    return "the run dies at its final snapshot, after all its iterations"


def writable_prefix(resolved: str) -> bool:
    """A prefix Caffe can write to: a folder, or a name in an existing folder."""
    return os.path.isdir(resolved) or os.path.isdir(os.path.dirname(resolved))
