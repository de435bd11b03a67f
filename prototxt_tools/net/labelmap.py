"""Read-only view of an SSD-style labelmap: ``item { name label display_name }`` blocks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from ..syntax import Message


@dataclass(frozen=True)
class LabelItem:
    name: Optional[str]
    label: Optional[int]
    display_name: Optional[str]
    node: Message


class LabelMap:
    __slots__ = ("node",)

    def __init__(self, node: Message):
        self.node = node

    @property
    def items(self) -> List[LabelItem]:
        out = []
        for item in self.node.messages("item"):
            name, label = item.scalar("name"), item.scalar("label")
            display = item.scalar("display_name")
            out.append(LabelItem(None if name is None else str(name),
                                 label,
                                 None if display is None else str(display), item))
        return out

    def __repr__(self) -> str:
        return f"LabelMap({len(self.items)} items)"
