"""GitHub Actions workflow commands: ``::error file=...,line=...::message`` per finding."""
from __future__ import annotations

import sys

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(problems, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    for p in problems:
        props = [f"file={_property(p.path)}", f"line={p.line}", f"col={p.col}"]
        if p.end_line:
            props += [f"endLine={p.end_line}", f"endColumn={p.end_col}"]
        props.append(f"title={_property(f'{p.code} {p.name}')}")
        stream.write(f"::{LEVELS.get(p.severity, 'warning')} {','.join(props)}::"
                     f"{_data(p.message)}\n")
