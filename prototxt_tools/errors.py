"""The error users see for bad input: one line, ``path[:line:col]: error: message``, exit 2."""
from __future__ import annotations

from typing import Optional


class PtxError(Exception):
    """A failure caused by the input or the request, not by ptx: reported in one line."""

    exit_code = 2

    def __init__(self, message: str, path: Optional[str] = None,
                 line: Optional[int] = None, col: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: error: {self.message}" if where else f"error: {self.message}"
