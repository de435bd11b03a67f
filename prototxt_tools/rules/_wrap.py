"""Rules that wrap findings computed elsewhere (schema validator, graph builder).

Those checks already run to give ``load()`` and ``ptx show`` their problems;
lint reuses them instead of recomputing, so every command agrees.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator

from ..problems import Problem


def schema_findings(context, code: str) -> Iterator[Problem]:
    """The schema validator's findings with ``code`` (file-level: not for inline nets)."""
    if context.ptx_file is None or context.net is not None:
        return
    for problem in context.ptx_file.problems:
        if problem.code == code:
            yield problem


def graph_findings(context, code: str) -> Iterator[Problem]:
    """The graph builder's findings with ``code`` over every linted state, once each."""
    seen = set()
    for _state, graph in context.graphs():
        for problem in graph.problems:
            key = (problem.line, problem.col, problem.message)
            if problem.code == code and key not in seen:
                seen.add(key)
                yield problem


def one_per_message(problems: Iterable[Problem]) -> Iterator[Problem]:
    """Identical findings (a misspelt field in 13 layers, a template placeholder in 5) as
    one, at the first place, with every place related and counted: Caffe stops at the
    first, the fix is one, and 33 lines of the same text hide the file's other findings."""
    groups: dict = {}
    for problem in problems:
        groups.setdefault(problem.message, []).append(problem)
    for same in groups.values():
        first = same[0]
        if len(same) == 1:
            yield first
            continue
        shown = ", ".join(str(p.line) for p in same[1:6]) + (", ..." if len(same) > 6 else "")
        where = f"line{'s' if len(same) > 2 else ''} {shown}"
        yield replace(first, message=f"{first.message} ({len(same)} times, also at {where}; "
                                     f"Caffe stops at the first)",
                      related=tuple((p.line, p.col, "") for p in same))
