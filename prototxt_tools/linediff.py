"""Which lines of two texts match, fast enough for a 10,000-line net rewritten in many
places (a whole-net freeze, an early-features cut), and the hunks of ``--diff``.

``difflib.SequenceMatcher`` without autojunk is quadratic on files where "}" and
"lr_mult: 1" repeat thousands of times (a minute for ResNet-152); with autojunk it
is fast but changes extra brace lines.  Patience diffing anchors on the lines that
occur once in both sides (layer names, mostly), in order, and only runs
SequenceMatcher on the small gaps between anchors, so the result stays the minimal
one a reader expects and the cost stays near linear.
"""
from __future__ import annotations

import difflib
from bisect import bisect_left
from typing import Dict, List, Sequence, Tuple

Pair = Tuple[int, int]
_SMALL = 250_000   # gap sizes (lines x lines) SequenceMatcher handles without autojunk quickly


def matching_pairs(a: Sequence[str], b: Sequence[str]) -> List[Pair]:
    """(i, j) with a[i] == b[j], increasing in both, for the whole of ``a`` and ``b``."""
    out: List[Pair] = []
    _match(a, b, 0, len(a), 0, len(b), out)
    return out


def _match(a, b, alo: int, ahi: int, blo: int, bhi: int, out: List[Pair]) -> None:
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        out.append((alo, blo))
        alo, blo = alo + 1, blo + 1
    tail: List[Pair] = []
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        tail.append((ahi, bhi))
    if alo < ahi and blo < bhi:
        anchors = _unique_in_order(a, b, alo, ahi, blo, bhi)
        if anchors:
            i0, j0 = alo, blo
            for i, j in anchors:
                _match(a, b, i0, i, j0, j, out)
                out.append((i, j))
                i0, j0 = i + 1, j + 1
            _match(a, b, i0, ahi, j0, bhi, out)
        else:
            _gap(a, b, alo, ahi, blo, bhi, out)
    out.extend(reversed(tail))


def _gap(a, b, alo: int, ahi: int, blo: int, bhi: int, out: List[Pair]) -> None:
    """Lines without a unique anchor: SequenceMatcher, with autojunk only when huge."""
    big = (ahi - alo) * (bhi - blo) > _SMALL
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=big)
    for i, j, size in matcher.get_matching_blocks():
        out.extend((alo + i + k, blo + j + k) for k in range(size))


def _unique_in_order(a, b, alo: int, ahi: int, blo: int, bhi: int) -> List[Pair]:
    """The longest increasing run of lines occurring exactly once in each range."""
    count_a: Dict[str, int] = {}
    where_a: Dict[str, int] = {}
    for i in range(alo, ahi):
        count_a[a[i]] = count_a.get(a[i], 0) + 1
        where_a[a[i]] = i
    count_b: Dict[str, int] = {}
    where_b: Dict[str, int] = {}
    for j in range(blo, bhi):
        count_b[b[j]] = count_b.get(b[j], 0) + 1
        where_b[b[j]] = j
    pairs = sorted((where_a[line], where_b[line]) for line, n in count_a.items()
                   if n == 1 and count_b.get(line) == 1)
    return _increasing(pairs)


def _increasing(pairs: List[Pair]) -> List[Pair]:
    """Longest subsequence of ``pairs`` (sorted by i) increasing in j (patience sort)."""
    tops: List[int] = []          # smallest j ending a run of each length
    ends: List[int] = []          # index into pairs of that run's end
    back: List[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect_left(tops, j)
        if at == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[at] = j
            ends[at] = k
        back[k] = ends[at - 1] if at else -1
    run: List[Pair] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


Opcode = Tuple[str, int, int, int, int]


def opcodes(a: Sequence[str], b: Sequence[str]) -> List[Opcode]:
    """(tag, i1, i2, j1, j2) like ``SequenceMatcher.get_opcodes``: "equal" runs and
    "replace"/"delete"/"insert" gaps, covering both sides in order."""
    out: List[Opcode] = []
    i0 = j0 = 0
    for i, j in matching_pairs(a, b) + [(len(a), len(b))]:
        if i > i0 or j > j0:
            tag = "replace" if i > i0 and j > j0 else ("delete" if i > i0 else "insert")
            out.append((tag, i0, i, j0, j))
        if i < len(a) or j < len(b):
            if out and out[-1][0] == "equal" and out[-1][2] == i and out[-1][4] == j:
                out[-1] = ("equal", out[-1][1], i + 1, out[-1][3], j + 1)
            else:
                out.append(("equal", i, i + 1, j, j + 1))
        i0, j0 = i + 1, j + 1
    return out


def hunks(a: Sequence[str], b: Sequence[str], context: int = 3) -> List[List[Opcode]]:
    """``opcodes`` grouped into unified-diff hunks with ``context`` equal lines around each
    change (equal runs longer than twice that split hunks)."""
    groups: List[List[Opcode]] = []
    current: List[Opcode] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag != "equal":
            current.append((tag, i1, i2, j1, j2))
            continue
        if not current:        # leading context of the first hunk
            current.append((tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2))
            continue
        if i2 - i1 > 2 * context:
            current.append((tag, i1, i1 + context, j1, j1 + context))
            groups.append(current)
            current = [(tag, i2 - context, i2, j2 - context, j2)]
        else:
            current.append((tag, i1, i2, j1, j2))
    if current and any(op[0] != "equal" for op in current):
        if current[-1][0] == "equal":
            tag, i1, i2, j1, j2 = current[-1]
            current[-1] = (tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context))
        groups.append(current)
    return [[op for op in group if op[1] < op[2] or op[3] < op[4]] for group in groups]
