"""Edit passes for ``ptx edit`` and ``prototxt_tools.edit``: one module per pass family.

Each pass is a ``base.Pass`` record declared in its module (name, ``run``, flag
help, metavar, value parser, the options it reads); PASSES lists them in the
order of ``ptx edit --help``.  ``run(ptx_file, **params) -> EditResult`` (edits
against the file's text, one-line change descriptions, notes) is pure and
idempotent.  Modules are imported when a pass is first asked for.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, Tuple

from ..errors import PtxError
from ..registry import Registry
from .base import EditResult, Option, Pass

PASSES = Registry("pass", [f"{__name__}.{entry}" for entry in (
    "rename:RENAME", "rename:RENAME_BLOB", "num_output:NUM_OUTPUT", "replace_head:REPLACE_HEAD",
    "freeze:FREEZE", "freeze:FREEZE_UNTIL", "freeze:FREEZE_FRACTION", "freeze:UNFREEZE",
    "strategy:STRATEGY", "cut_gradient:CUT_GRADIENT", "mults:LR_MULT", "mults:DECAY_MULT",
    "to_deploy:TO_DEPLOY", "to_train:TO_TRAIN",
)])


def get_pass(name: str) -> Pass:
    """The pass called ``name``; PtxError naming the known ones otherwise."""
    found = PASSES.get(name)
    if found is None:
        raise PtxError(f"unknown edit pass '{name}' (known: {', '.join(PASSES.names())})")
    return found


def call(name: str, value: Any = None, /, **options: Any) -> Tuple[str, Dict[str, Any]]:
    """``(name, params)`` for ``edit()``, from the value the pass's flag would get and
    its options by ``Option.dest`` (defaults as on the command line):
    ``call("replace_head", "20", name="fc8_flickr")``."""
    chosen = get_pass(name)
    values = _Options({o.dest: copy.copy(o.default) for o in chosen.options})
    unknown = set(options) - set(vars(values))
    if unknown:
        raise PtxError(f"pass '{name}' has no option {', '.join(sorted(unknown))} "
                       f"(it reads: {', '.join(o.dest for o in chosen.options) or 'none'})")
    vars(values).update(options)
    text = None if value is None else str(value)
    return name, chosen.params(text, values)


class _Options:
    """Attribute access to option values, like argparse's namespace."""

    def __init__(self, values: Dict[str, Any]):
        self.__dict__.update(values)


__all__ = ["EditResult", "Option", "Pass", "PASSES", "call", "get_pass"]
