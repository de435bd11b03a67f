"""The directory of `snapshot_prefix` does not exist.

## What it does
Resolves `snapshot_prefix` against each root ptx tries (`--root`, config roots,
the solver's folder, the repository root) and reports it when its directory is
missing under all of them (a prefix that is itself a directory is fine: Caffe then writes
`<dir>/<solver name>_iter_N`).

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
SEVERITY = "error"
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
    when = ("Caffe refuses to start" if (solver.get("snapshot") or 0) > 0
            else "the final snapshot fails after the whole run")
    yield context.report(field.value, (
        f"Cannot write to snapshot prefix '{prefix}'.  Make sure that the directory exists and "
        f"is writable. -- {when}; create {os.path.dirname(prefix)!r} (tried "
        f"{tried(context)})"))


def writable_prefix(resolved: str) -> bool:
    """A prefix Caffe can write to: a folder, or a name in an existing folder."""
    return os.path.isdir(resolved) or os.path.isdir(os.path.dirname(resolved))
