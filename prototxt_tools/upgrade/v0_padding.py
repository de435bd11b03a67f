"""V0 ``padding`` layers folded into the conv/pool layer that reads them (UpgradeV0PaddingLayers).

Caffe walks the layers in order, remembering which layer last wrote each
blob; a layer reading a padding layer's output takes that layer's ``pad``
and reads the padding layer's input instead, and every padding layer is
removed.  Caffe's CHECKs become PtxErrors with Caffe's own messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Set

from ..errors import PtxError
from ..syntax import Document, Field, Message


@dataclass
class PaddingPlan:
    removed: Set[int] = field(default_factory=set)        # indices of padding layers
    pads: Dict[int, str] = field(default_factory=dict)     # layer index -> pad value text
    bottoms: Dict[int, Dict[int, str]] = field(default_factory=dict)  # index -> {j: new bottom}


def v0_type(block: Message) -> str:
    inner = block.message("layer")
    return str(inner.scalar("type", "")) if inner is not None else ""


def plan_padding(doc: Document, blocks: List[Field]) -> PaddingPlan:
    plan = PaddingPlan()
    last_writer: Dict[str, int] = {name: -1 for name in doc.scalars("input")}
    for i, block in enumerate(blocks):
        msg = block.value
        if v0_type(msg) == "padding":
            plan.removed.add(i)
        bottoms = msg.values("bottom")
        for j, bottom in enumerate(bottoms):
            name = bottom.value
            if name not in last_writer:
                raise PtxError(f"Unknown blob input {name} to layer {j}", line=bottom.line,
                               col=bottom.col)
            source = last_writer[name]
            if source >= 0 and v0_type(blocks[source].value) == "padding":
                _fold(plan, i, j, msg, blocks[source].value, bottom)
        for top in msg.values("top"):
            last_writer[top.value] = i
    return plan


def _fold(plan: PaddingPlan, i: int, j: int, msg: Message, pad_layer: Message, at) -> None:
    kind = v0_type(msg)
    if kind not in ("conv", "pool"):
        _fail("Padding layer input to non-convolutional / non-pooling layer type " + kind, at)
    _check_count(msg.values("bottom"), "bottom_size", "Conv Layer takes a single blob as input.", at)
    _check_count(pad_layer.values("bottom"), "bottom_size",
                 "Padding Layer takes a single blob as input.", at)
    _check_count(pad_layer.values("top"), "top_size",
                 "Padding Layer produces a single blob as output.", at)
    pad = pad_layer.message("layer").get("pad")
    plan.pads[i] = pad.value.raw if pad is not None else "0"
    plan.bottoms.setdefault(i, {})[j] = pad_layer.values("bottom")[0].raw


def _check_count(values: list, what: str, message: str, at) -> None:
    if len(values) != 1:
        _fail(f"Check failed: {what}() == 1 ({len(values)} vs. 1) {message}", at)


def _fail(message: str, at) -> None:
    raise PtxError(message, line=at.line, col=at.col)
