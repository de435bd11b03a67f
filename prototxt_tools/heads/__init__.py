"""Head families for ``--replace-head``: each a plug-in module that recognises its
kind of net from the graph and plans what changes with the class count.

A family module (listed in the ``FAMILIES`` registry) has ``NAME`` and ``plan(ptx_file, classes, options) -> Plan or
None`` (None: not this kind of net).  ``FAMILIES`` is tried in order, the most
specific first: a Faster R-CNN net also has a classifier, an FCN also has score
layers.  ``plan_heads`` returns the first family's plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from ..registry import Registry
from .plan import Classes, Head, Plan

FAMILIES = Registry("head family", [f"{__name__}.{name}" for name in (
    "rfcn", "rcnn", "ssd", "rpn", "ctc", "windows", "deeplab", "segnet", "fcn",
    "classification")])


@dataclass
class HeadOptions:
    """Choices a family may need beyond the class count."""

    drop_class_weighting: bool = False
    class_weighting: Tuple[float, ...] = ()   # SegNet: the user's N per-class loss weights


def families() -> list:
    """The family modules, in the order they are tried (a fork's family can be added
    with ``FAMILIES.add(name, module)``; it is tried after the built-in ones)."""
    return list(FAMILIES)


def plan_heads(ptx_file, classes: Classes, options: Optional[HeadOptions] = None,
               heads: Sequence[str] = ()) -> Optional[Plan]:
    """The plan of the first family that recognises the net; with ``heads`` given, those
    layers as classifiers (the user knows best).  None when nothing is recognised."""
    if heads:
        outputs, why = classes.as_listed()
        return Plan("chosen", [Head(name, outputs, why) for name in heads])
    for family in families():
        found = family.plan(ptx_file, classes, options or HeadOptions())
        if found is not None:
            return found
    return None


__all__ = ["Classes", "HeadOptions", "Plan", "families", "plan_heads"]
