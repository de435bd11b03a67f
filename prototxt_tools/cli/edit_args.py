"""Turning ``ptx edit`` flags into pass calls.

Kept apart from ``cli/edit.py`` so the argument table stays readable: every
value is checked here and a malformed one is a one-line PtxError (exit 2).
"""
from __future__ import annotations

from typing import List, Tuple

from ..errors import PtxError
from ..passes.base import parse_mults, split_assignment
from .edit import option


def pass_calls(args) -> List[Tuple[str, dict]]:
    """(pass name, parameters) in command-line order."""
    return [(name, _params(name, value, args)) for name, value in args.ops]


def _params(name: str, value, args) -> dict:
    if name in ("rename", "rename_blob"):
        old, new = split_assignment(value, option(name))
        return {"old": old, "new": new}
    if name == "num_output":
        layer, n = split_assignment(value, "--num-output")
        return {"layer": layer, "n": positive_int(n, "--num-output")}
    if name == "replace_head":
        return {"n": None if value == "-" else positive_int(value, "--replace-head"),
                "heads": args.head, "labels": args.labels,
                "drop_class_weighting": args.drop_class_weighting,
                "name": args.name, "suffix": args.suffix,
                "lr_mult": parse_mults(args.head_lr_mult, "--head-lr-mult")}
    if name in ("freeze", "unfreeze"):
        return {"layers": [v.strip() for v in value.split(",") if v.strip()]}
    if name in ("freeze_until", "cut_gradient"):
        return {"layer": value}
    if name == "freeze_fraction":
        return {"fraction": _fraction(value)}
    if name == "strategy":
        preset, _, layer = value.partition("=")
        return {"name": preset, "layer": layer or None,
                "head_lr_mult": parse_mults(args.head_lr_mult, "--head-lr-mult")}
    if name in ("lr_mult", "decay_mult"):
        layer, values = split_assignment(value, option(name))
        return {"layer": layer, "values": parse_mults(values, option(name))}
    return {"input_shape": _shape(args.input_shape)}  # to_deploy


def positive_int(text: str, flag: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise PtxError(f"{flag} wants a positive integer, got {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise PtxError(f"--freeze-fraction wants a number in (0, 1], got {text!r}") from None


def _shape(text):
    from ..caffe.datashapes import parse_dims
    if text is None:
        return None
    dims = parse_dims(text)
    if not dims:
        raise PtxError(f"--input-shape wants N,C,H,W with positive sizes, got {text!r}")
    return dims
