"""The solver's paths resolve only against another folder than `--root`: run `caffe train` there.

## What it does
For a solver whose net files or `snapshot_prefix` folder do not exist under
`--root` but do under a later root ptx tries (the config's `roots` for the
solver's path, the solver's own folder, the repository root), says which root
worked and which paths need it. One finding per solver.

## Why it matters
Caffe resolves a solver's relative paths against its working directory. In a
tree of models each expects its own; `caffe train` run from anywhere else dies
with `Check failed: fd != -1 (-1 vs. -1) File not found: train_val.prototxt` or
`Cannot write to snapshot prefix`. ptx checks the files there instead of
reporting them missing, and says where the command must run.

## Example
```prototxt
# models/fcn32s/solver.prototxt, linted from the repository root
train_net: "train.prototxt"
snapshot_prefix: "snapshot/train"
```

## Use instead
`cd models/fcn32s && caffe train --solver solver.prototxt`, or lint with
`--root models/fcn32s`, or name the folder in the config:
`[tool.ptx.roots] "models/fcn32s/*" = "models/fcn32s"`.
"""
from __future__ import annotations

import os

from .base import first_field

CODE = "PTX410"
NAME = "solver-root"
SEVERITY = "info"
OPTIONS: dict = {}


def _paths(context) -> list:
    """(path as written, test that it exists) for the solver's net files and snapshot prefix."""
    from .snapshot_prefix import writable_prefix
    solver = context.solver
    refs = [r for r in (solver.net, solver.train_net) if r is not None] + solver.test_net
    paths = [(ref.path, os.path.isfile) for ref in refs]
    field = context.ptx_file.doc.get("snapshot_prefix")
    if field is not None and os.path.dirname(str(field.value.value)):
        paths.append((str(field.value.value), writable_prefix))
    return paths


def check(context, options):
    if context.solver is None:
        return
    from ..lint.roots import locate
    by_root: dict = {}
    for path, exists in _paths(context):
        found = locate(context, path, exists)
        if found is not None and found[1].label not in ("--root", "its absolute path"):
            by_root.setdefault(found[1], []).append(path)
    for root, paths in by_root.items():
        names = ", ".join(repr(p) for p in paths)
        yield context.report(first_field(context.ptx_file.doc), (
            f"{names} resolve against {root.label} {root.folder!r}, not --root "
            f"{context.options.root!r}: run `caffe train` from there (Caffe resolves solver "
            f"paths from its working directory)"))
