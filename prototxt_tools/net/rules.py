"""Views of ``include``/``exclude`` rules (NetStateRule) and ``param {}`` specs (ParamSpec).

A rule keeps "unset" apart from "set to the default" because Caffe's
StateMeetsRule only tests fields that are present (``has_phase()`` ...).
"""
from __future__ import annotations

from typing import FrozenSet, Optional, Tuple

from ..syntax import Message, Node, Scalar
from .coerce import as_float, as_phase

PARAM_DEFAULTS = {"name": "", "lr_mult": 1.0, "decay_mult": 1.0, "share_mode": "STRICT"}
SHARE_MODES = ("STRICT", "PERMISSIVE")  # ParamSpec.DimCheckMode


class Rule:
    """One ``include {}`` / ``exclude {}`` block; ``None`` for fields not written."""

    __slots__ = ("node",)

    def __init__(self, node: Message):
        self.node = node

    @property
    def phase(self) -> Optional[str]:
        value = self.node.scalar("phase")
        return None if value is None else as_phase(value)

    @property
    def min_level(self) -> Optional[int]:
        return self.node.scalar("min_level")

    @property
    def max_level(self) -> Optional[int]:
        return self.node.scalar("max_level")

    @property
    def stages(self) -> Tuple[str, ...]:
        return tuple(str(v) for v in self.node.scalars("stage"))

    @property
    def not_stages(self) -> Tuple[str, ...]:
        return tuple(str(v) for v in self.node.scalars("not_stage"))

    def __repr__(self) -> str:
        return (f"Rule(phase={self.phase!r}, min_level={self.min_level!r}, "
                f"max_level={self.max_level!r}, stages={self.stages!r}, "
                f"not_stages={self.not_stages!r})")


class ParamSpec:
    """One learnable blob's spec: Caffe's defaults for what is not written.

    V2 specs come from a ``param {}`` message.  V0/V1 nets spread a spec over
    parallel lists (``param`` names, ``blobs_lr``, ``weight_decay``,
    ``blob_share_mode``); those are gathered per index as Caffe's upgrade does.
    ``node`` is the ``param`` message (V2) or the first contributing value (V0/V1).
    """

    __slots__ = ("name", "lr_mult", "decay_mult", "share_mode", "node", "written")

    def __init__(self, values: dict, node: Optional[Node]):
        merged = dict(PARAM_DEFAULTS)
        merged.update(values)
        self.name = merged["name"]
        self.lr_mult = merged["lr_mult"]
        self.decay_mult = merged["decay_mult"]
        self.share_mode = merged["share_mode"]
        self.node = node
        self.written: FrozenSet[str] = frozenset(values)

    def is_set(self, field: str) -> bool:
        return field in self.written

    def __repr__(self) -> str:
        return (f"ParamSpec(name={self.name!r}, lr_mult={self.lr_mult!r}, "
                f"decay_mult={self.decay_mult!r}, share_mode={self.share_mode!r})")


def _share_mode(value):
    if isinstance(value, int) and 0 <= value < len(SHARE_MODES):
        return SHARE_MODES[value]
    return value


def param_from_message(node: Message) -> ParamSpec:
    """A V2 ``param { name lr_mult decay_mult share_mode }`` block."""
    values = {}
    for field, convert in (("name", str), ("lr_mult", as_float),
                           ("decay_mult", as_float), ("share_mode", _share_mode)):
        value = node.scalar(field)
        if value is not None:
            values[field] = convert(value)
    return ParamSpec(values, node)


_LEGACY_PARAM_FIELDS = (("param", "name", str), ("blob_share_mode", "share_mode", _share_mode),
                        ("blobs_lr", "lr_mult", as_float), ("weight_decay", "decay_mult", as_float))


def params_from_legacy(node: Message) -> list:
    """V0/V1: spec i gathers ``param[i]``, ``blob_share_mode[i]``, ``blobs_lr[i]``, ``weight_decay[i]``."""
    columns = [(key, convert, node.values(field)) for field, key, convert in _LEGACY_PARAM_FIELDS]
    count = max(len(values) for _, _, values in columns)
    specs = []
    for i in range(count):
        values, first = {}, None
        for key, convert, nodes in columns:
            if i < len(nodes) and isinstance(nodes[i], Scalar):
                values[key] = convert(nodes[i].value)
                first = first or nodes[i]
        specs.append(ParamSpec(values, first))
    return specs
