"""Tables for terminals and pipes.

On a terminal the table goes through rich (colour, box drawing); piped, it
is plain aligned text, which also keeps rich off the start-up path of
scripted use.  Cells are plain strings; user text is never read as markup.
"""
from __future__ import annotations

import sys
from typing import List, Sequence

from . import is_terminal


def print_table(headers: Sequence[str], rows: List[Sequence[str]], title: str = "",
                stream=None) -> None:
    stream = stream or sys.stdout
    if is_terminal(stream):
        _print_rich(headers, rows, title, stream)
    else:
        stream.write(plain_table(headers, rows, title))


def plain_table(headers: Sequence[str], rows: List[Sequence[str]], title: str = "") -> str:
    """Left-aligned columns separated by two spaces; trailing blanks stripped."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]
    lines = [title] if title else []
    for row in [list(headers), ["-" * w for w in widths]] + [list(r) for r in rows]:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _print_rich(headers, rows, title, stream) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    table = Table(title=Text(title) if title else None, title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    Console(file=stream).print(table)
