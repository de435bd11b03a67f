"""Versioned blobs: Caffe binds blob names sequentially, so ``name@k`` is the k-th write of ``name``."""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..syntax import Node


class Blob(NamedTuple):
    """One write of a blob name (immutable; a NamedTuple because graphs of large
    nets create tens of thousands and a frozen dataclass costs twice as much).

    ``producer`` is the writing layer's index, or None for a net-level
    ``input:`` field; ``top_index`` is the position among that layer's tops
    (among the net's ``input`` fields for None); ``in_place`` marks a write
    whose top i equals bottom i (the rebinding of an existing name).
    """

    name: str
    version: int
    producer: Optional[int]
    top_index: int
    in_place: bool
    node: Node

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def __repr__(self) -> str:
        return f"Blob({self.key}, producer={self.producer}, in_place={self.in_place})"
