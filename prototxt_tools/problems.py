"""Findings about a file: one shape for schema findings, lint rules and every output format."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}


@dataclass(frozen=True, order=True)
class Problem:
    """A finding at a 1-based position.  Sorts by file, then position.

    ``code``/``name`` identify the rule or check (``PTX###`` / kebab-case);
    ``end_line``/``end_col`` close the span when known (0 when not); ``related`` lists
    other places the finding is about, as (line, col, note), e.g. every use of a fork.
    """

    path: str
    line: int
    col: int
    code: str = field(compare=False)
    name: str = field(compare=False)
    message: str = field(compare=False)
    severity: str = field(default=ERROR, compare=False)
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)
    fix: Optional[object] = field(default=None, compare=False, repr=False)
    related: Tuple[Tuple[int, int, str], ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def at(cls, path: str, node, code: str, name: str, message: str, severity: str = ERROR,
           end: Optional[tuple] = None) -> "Problem":
        """A finding spanning syntax node ``node`` (or from it to ``end``, a (line, col))."""
        line, col = node.position
        end_line, end_col = end or node.end_position
        return cls(path, line, col, code, name, message, severity, end_line, end_col)

    def parsable(self) -> str:
        """``path:line:col: severity: message [CODE]``."""
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
