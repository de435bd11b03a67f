"""The one error type of the syntax layer: a message a person understands, at a 1-based position."""
from __future__ import annotations


class ParseError(ValueError):
    """A syntax error at ``line``:``col`` (both 1-based)."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(f"{line}:{col}: {message}")
        self.message = message
        self.line = line
        self.col = col
