"""What every upgrade step returns: text edits and a readable account of them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from ..edits import TextEdit

CHANGE = "change"
WARNING = "warning"


@dataclass(frozen=True)
class Change:
    """One line of the report ``ptx upgrade`` prints: where, what, and whether to look twice."""

    line: int
    message: str
    kind: str = CHANGE

    def __str__(self) -> str:
        label = "warning: " if self.kind == WARNING else ""
        return f"{self.line}: {label}{self.message}"


@dataclass
class StepResult:
    edits: List[TextEdit] = field(default_factory=list)
    changes: List[Change] = field(default_factory=list)

    def change(self, node, message: str) -> None:
        self.changes.append(Change(node.line, message))

    def warn(self, node, message: str) -> None:
        self.changes.append(Change(node.line, message, WARNING))
