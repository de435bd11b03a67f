"""Findings as a JSON array (stable keys, 1-based positions, fixes with their edits)."""
from __future__ import annotations

import json as _json
import sys


def fix_dict(fix):
    if fix is None:
        return None
    return {"description": fix.description, "safe": fix.safe,
            "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement}
                      for e in fix.edits]}


def problem_dict(p) -> dict:
    return {"path": p.path, "line": p.line, "col": p.col, "end_line": p.end_line,
            "end_col": p.end_col, "code": p.code, "name": p.name, "severity": p.severity,
            "message": p.message, "fix": fix_dict(p.fix)}


def render(problems, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    _json.dump([problem_dict(p) for p in problems], stream, indent=2)
    stream.write("\n")
