"""``ptx lint --statistics``: how many findings each rule made, as ruff prints them.

One row per code, most frequent first: count, code, name, severity, and ``[*]`` when
some of its findings have a fix ``--fix`` (or ``--unsafe-fixes``) would apply.
"""
from __future__ import annotations

from collections import Counter
from typing import List, NamedTuple


class RuleCount(NamedTuple):
    count: int
    code: str
    name: str
    severity: str
    fixable: bool


def statistics(problems) -> List[RuleCount]:
    counts = Counter(p.code for p in problems)
    first = {}
    fixable = set()
    for p in problems:
        first.setdefault(p.code, p)
        if p.fix is not None:
            fixable.add(p.code)
    rows = [RuleCount(n, code, first[code].name, first[code].severity, code in fixable)
            for code, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.count, r.code))


def render_text(rows: List[RuleCount], stream) -> None:
    width = max((len(str(r.count)) for r in rows), default=1)
    for r in rows:
        mark = "[*]" if r.fixable else "   "
        stream.write(f"{r.count:>{width}}\t{r.code}\t{mark} {r.name} [{r.severity}]\n")
    total = sum(r.count for r in rows)
    stream.write(f"Found {total} problem{'s' if total != 1 else ''} in {len(rows)} "
                 f"rule{'s' if len(rows) != 1 else ''}.\n")


def render_json(rows: List[RuleCount], stream) -> None:
    import json
    json.dump([r._asdict() for r in rows], stream, indent=2)
    stream.write("\n")
