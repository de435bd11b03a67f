"""Human output: ``path:line:col: CODE [severity] message`` per finding and a summary line.

On a terminal it goes through rich (colour by severity); user text is put in
``Text`` objects, never parsed as markup, so a layer named ``[conv1]`` prints as
such.  Piped, it is plain text and rich is not imported.
"""
from __future__ import annotations

import sys
from typing import List

from . import is_terminal

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def summary(problems, fixed=()) -> str:
    counts = {}
    for p in problems:
        counts[p.severity] = counts.get(p.severity, 0) + 1
    if not problems:
        text = "No problems found."
    else:
        parts = [f"{counts[s]} {s}{'s' if counts[s] > 1 and s != 'info' else ''}"
                 for s in ("error", "warning", "info") if s in counts]
        text = f"Found {len(problems)} problem{'s' if len(problems) > 1 else ''} ({', '.join(parts)})."
    if fixed:
        text += f" Fixed {len(fixed)}."
    return text


def line(problem) -> str:
    return f"{problem.path}:{problem.line}:{problem.col}: {problem.code} [{problem.severity}] {problem.message}"


def render(problems: List, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    color = is_terminal(stream) if color is None else color
    if not color:
        for problem in problems:
            stream.write(line(problem) + "\n")
        for problem in fixed:
            stream.write(f"{problem.path}:{problem.line}:{problem.col}: fixed {problem.code}: "
                         f"{problem.fix.description}\n")
        stream.write(summary(problems, fixed) + "\n")
        return
    _render_rich(problems, stream, fixed)


def _render_rich(problems, stream, fixed) -> None:
    from rich.console import Console
    from rich.text import Text
    console = Console(file=stream, highlight=False, force_terminal=True)
    for p in problems:
        text = Text()
        text.append(f"{p.path}:{p.line}:{p.col}:", style="bold")
        text.append(f" {p.code}", style=STYLES.get(p.severity, ""))
        text.append(f" [{p.severity}] ", style=STYLES.get(p.severity, ""))
        text.append(p.message)
        console.print(text, soft_wrap=True)
    for p in fixed:
        console.print(Text(f"{p.path}:{p.line}:{p.col}: fixed {p.code}: {p.fix.description}",
                           style="green"), soft_wrap=True)
    console.print(Text(summary(problems, fixed), style="bold"), soft_wrap=True)
