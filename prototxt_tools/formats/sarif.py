"""SARIF 2.1.0: one run, the tool's rules (documentation from the rule modules) and results."""
from __future__ import annotations

import json
import os
import sys

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule) -> dict:
    from ..rules.base import documentation, summary
    return {"id": rule.CODE, "name": rule.NAME,
            "shortDescription": {"text": summary(rule)},
            "fullDescription": {"text": summary(rule)},
            "help": {"text": documentation(rule), "markdown": documentation(rule)},
            "defaultConfiguration": {"level": LEVELS[rule.SEVERITY]}}


def _uri(path: str) -> str:
    return path.replace(os.sep, "/") if not path.startswith("<") else path.strip("<>")


def _result(p, index: dict) -> dict:
    region = {"startLine": p.line, "startColumn": p.col}
    if p.end_line:
        region.update(endLine=p.end_line, endColumn=p.end_col)
    result = {"ruleId": p.code, "level": LEVELS.get(p.severity, "warning"),
              "message": {"text": p.message},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(p.path)},
                                                  "region": region}}]}
    if p.code in index:
        result["ruleIndex"] = index[p.code]
    if p.related:
        result["relatedLocations"] = [
            {"id": i, "message": {"text": note},
             "physicalLocation": {"artifactLocation": {"uri": _uri(p.path)},
                                  "region": {"startLine": line, "startColumn": col}}}
            for i, (line, col, note) in enumerate(p.related)]
    return result


def document(problems) -> dict:
    from .. import __version__
    from ..rules import RULES
    index = {rule.CODE: i for i, rule in enumerate(RULES)}
    driver = {"name": "ptx", "version": __version__, "informationUri":
              "https://pypi.org/project/prototxt-tools/", "rules": [_rule(r) for r in RULES]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": [_result(p, index) for p in problems]}]}


def render(problems, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    json.dump(document(problems), stream, indent=2)
    stream.write("\n")
