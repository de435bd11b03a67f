"""Long lists of names shortened for a terminal line: the first and last few and a count.

A 150-layer net frozen, renamed or diffed would otherwise print 150 names on one
line; the full lists stay in ``--json`` output.
"""
from __future__ import annotations

from typing import Iterable

HEAD, TAIL = 4, 2


def short_list(names: Iterable[str], head: int = HEAD, tail: int = TAIL) -> str:
    """``"a, b, c, d, ... 140 more ..., y, z (146)"`` for long lists, every name otherwise;
    duplicates dropped, order kept."""
    unique = list(dict.fromkeys(str(n) for n in names))
    if len(unique) <= head + tail + 1:
        return ", ".join(unique)
    hidden = len(unique) - head - tail
    return (", ".join(unique[:head]) + f", ... {hidden} more ..., "
            + ", ".join(unique[-tail:]) + f" ({len(unique)})")
