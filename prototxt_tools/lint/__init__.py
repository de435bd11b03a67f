"""``ptx lint``: rules over nets and solvers, with config, suppressions and fixes.

``lint_files(paths, ...)`` is what the CLI runs; ``lint_source(text)`` lints
one text (tests, editors).  Both return Problems sorted by file and position.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Optional

from ..io import STDIN, STDIN_NAME, read_source, write_atomic
from ..problems import Problem
from .config import LintConfig, load_config
from .context import LintOptions
from .runner import lint_text, unique_problems


@dataclass
class LintReport:
    problems: List[Problem] = field(default_factory=list)
    fixed: List[Problem] = field(default_factory=list)
    files: int = 0


def lint_source(text: str, path: str = "<text>", config: Optional[LintConfig] = None,
                options: Optional[LintOptions] = None) -> List[Problem]:
    return lint_text(path, text, config or LintConfig(), options or LintOptions())


def _read(path: str):
    """(text, None), or (None, a PTX001 finding) for unreadable content.  The finding's path
    is the error's: ``read_source`` already names standard input ``<stdin>``."""
    from ..errors import PtxError
    try:
        return read_source(path), None
    except PtxError as exc:
        from ..rules.syntax_error import problem
        return None, problem(exc.path, exc)


def lint_files(paths: List[str], config: LintConfig, options: LintOptions,
               fix: bool = False, unsafe: bool = False) -> LintReport:
    from .files import expand
    from .fix import fix_text
    # An unreadable --weights file is bad input (PtxError: one line, exit 2), not a clean
    # lint; the scans are kept on the options for every file's weight rules.
    options.weight_scans()
    if not options.named_files:   # files given together are a model's files (lint/models.py)
        options.named_files = tuple(p for p in paths if p != STDIN and os.path.isfile(p))
    report = LintReport()
    for path in expand(paths, config.excluded):
        report.files += 1
        text, unreadable = _read(path)
        if text is None:
            report.problems.append(unreadable)
            continue
        shown = STDIN_NAME if path == STDIN else path
        if not (fix or unsafe) or path == STDIN:
            report.problems += lint_text(shown, text, config, options)
            continue
        def lint_one(t, p=shown):
            return lint_text(p, t, config, options)
        new_text, fixed, problems = fix_text(shown, text, lint_one, unsafe)
        if fixed:
            write_atomic(path, new_text)
        report.fixed += fixed
        report.problems += problems
    # A net named on the command line and again by a solver (or a folder walk) is linted
    # once for each: the same finding twice is noise, so each is reported once.
    report.problems = sorted(unique_problems(report.problems))
    return report


__all__ = ["LintConfig", "LintOptions", "LintReport", "lint_files", "lint_source", "load_config"]
