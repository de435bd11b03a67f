"""Edit passes for ``ptx edit`` and ``prototxt_tools.edit``: one module per pass.

Each pass is ``run(ptx_file, **params) -> EditResult`` (edits against the file's
text, one-line change descriptions, notes), pure and idempotent.  REGISTRY maps a
pass name to ``(module, function)``; modules are imported when a pass runs.
"""
from __future__ import annotations

import importlib

from .base import EditResult

REGISTRY = {
    "rename": ("rename", "run"),                      # old, new, blobs=True
    "rename_blob": ("rename", "run_blob"),            # old, new
    "num_output": ("num_output", "run"),              # layer, n
    "replace_head": ("replace_head", "run"),          # n, heads, name, suffix, lr_mult
    "freeze": ("freeze", "run"),                      # layers
    "freeze_until": ("freeze", "run_until"),          # layer
    "freeze_fraction": ("freeze", "run_fraction"),    # fraction
    "unfreeze": ("freeze", "run_unfreeze"),           # layers
    "strategy": ("strategy", "run"),                  # name, layer=None, head_lr_mult
    "cut_gradient": ("cut_gradient", "run"),          # layer
    "lr_mult": ("mults", "run"),                      # layer, values
    "decay_mult": ("mults", "run_decay"),             # layer, values
    "to_deploy": ("to_deploy", "run"),                # input_shape=None
}


def get_pass(name: str):
    """The ``run`` function of pass ``name`` (KeyError for an unknown name)."""
    module_name, function = REGISTRY[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, function)


__all__ = ["EditResult", "REGISTRY", "get_pass"]
