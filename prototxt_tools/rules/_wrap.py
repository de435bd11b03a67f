"""Rules that wrap findings computed elsewhere (schema validator, graph builder).

Those checks already run to give ``load()`` and ``ptx show`` their problems;
lint reuses them instead of recomputing, so every command agrees.
"""
from __future__ import annotations

from typing import Iterator

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
