"""Findings as a JSON array (stable keys, 1-based positions, fixes with their edits)."""
from __future__ import annotations

import json as _json
import math
import sys


def dumps(value, **options) -> str:
    """JSON text of ``value`` that any parser accepts: non-finite floats are written as
    protobuf's JSON mapping writes them ("NaN", "Infinity", "-Infinity").  Every --json
    output goes through here: ``lr_mult: nan`` or a diverged loss are real inputs, and
    JSON has no such numbers."""
    return _json.dumps(json_safe(value), allow_nan=False, **options)


def json_safe(value):
    """``value`` with its non-finite floats replaced by their protobuf JSON names."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def fix_dict(fix):
    if fix is None:
        return None
    return {"description": fix.description, "safe": fix.safe,
            "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement}
                      for e in fix.edits]}


def problem_dict(p) -> dict:
    found = {"path": p.path, "line": p.line, "col": p.col, "end_line": p.end_line,
             "end_col": p.end_col, "code": p.code, "name": p.name, "severity": p.severity,
             "message": p.message, "fix": fix_dict(p.fix)}
    if p.related:  # e.g. every use of a fork (PTX009): one finding, each place listed
        found["related"] = [{"line": line, "col": col, "message": note}
                            for line, col, note in p.related]
    return found


def render(problems, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    _json.dump([problem_dict(p) for p in problems], stream, indent=2)
    stream.write("\n")
