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
        text = f"{where}: error: {self.message}" if where else f"error: {self.message}"
        return one_line(text)


def one_line(text: str) -> str:
    """``text`` with every character that would end or garble a terminal line (newlines,
    and the other control characters ``str.splitlines`` and terminals act on) escaped:
    a message quoting a damaged file stays one line."""
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in text)
