"""Explain a lint rule (`ptx rule PTX101`, `ptx rule unknown-bottom`) or list them all."""
from __future__ import annotations

import argparse
import json
import sys

HELP = "explain a lint rule, or list them all"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", help="code (PTX101) or name (unknown-bottom)")
    parser.add_argument("--all", action="store_true", help="list every rule")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")


def rule_dict(rule) -> dict:
    from ..rules.base import sections, summary
    return {"code": rule.CODE, "name": rule.NAME, "severity": rule.SEVERITY,
            "summary": summary(rule),
            "options": {k: {"type": t.__name__, "default": d} for k, (t, d) in rule.OPTIONS.items()},
            "sections": sections(rule)}


def markdown_table(rules) -> str:
    """The README's rule table: one row per rule."""
    from ..rules.base import summary
    lines = ["| Code | Name | Severity | What it catches |", "| --- | --- | --- | --- |"]
    for rule in rules:
        text = summary(rule).replace("|", "\\|")
        lines.append(f"| {rule.CODE} | `{rule.NAME}` | {rule.SEVERITY} | {text} |")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    from ..errors import PtxError
    from ..rules import RULES, get
    from ..rules.base import documentation
    if args.all:
        if args.format == "json":
            json.dump([rule_dict(r) for r in RULES], sys.stdout, indent=2)
            sys.stdout.write("\n")
        elif args.format == "markdown":
            sys.stdout.write(markdown_table(RULES))
        else:
            from ..rules.base import summary
            for r in RULES:
                sys.stdout.write(f"{r.CODE}  {r.NAME:<28} {r.SEVERITY:<8} {summary(r)}\n")
        return 0
    if not args.rule:
        raise PtxError("name a rule (ptx rule PTX101) or use --all")
    rule = get(args.rule)
    if rule is None:
        raise PtxError(f"unknown rule: {args.rule} (ptx rule --all lists them)")
    if args.format == "json":
        json.dump(rule_dict(rule), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(documentation(rule))
    return 0
