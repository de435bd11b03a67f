"""Where a rewriting command's result goes: stdout, -o, --in-place, --diff or --check.

Shared by ``ptx edit`` and ``ptx upgrade`` so both behave the same: writes are
atomic and happen only for text that parses again, an unchanged --in-place
file is not touched, and what was written is said on stderr.
"""
from __future__ import annotations

import os
import sys
from typing import List

from ..errors import PtxError
from ..formats import is_terminal

_COLOURS = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}
_RESET = "\033[0m"


def add_output_arguments(parser, check_help: str) -> None:
    out = parser.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="OUT", help="write the result to OUT")
    out.add_argument("--in-place", action="store_true", help="rewrite FILE (atomically)")
    out.add_argument("--check", action="store_true", help=check_help)
    out.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")


def refuse_stdin_in_place(args) -> None:
    if args.in_place and args.file == "-":
        raise PtxError("--in-place needs a file, not stdin", "-")


def emit(args, original: str, result: str, changed: bool, check_words=("would change",
                                                                       "unchanged")) -> int:
    """Send ``result`` where the arguments say; the exit code (``--check``: 1 when changed)."""
    if args.check:
        print(f"{args.file}: {check_words[0] if changed else check_words[1]}", file=sys.stderr)
        return 1 if changed else 0
    if args.diff:
        print_diff(original, result, args.file)
        return 0
    target = args.output or (args.file if args.in_place else None)
    if target is None:
        sys.stdout.write(result)
    elif changed or args.output:
        _write(target, result)
    return 0


def _write(target: str, text: str) -> None:
    from ..io import write_atomic
    from ..syntax import ParseError, parse
    try:
        parse(text)
    except ParseError as exc:
        raise PtxError(f"result does not parse ({exc}); nothing written", target) from None
    write_atomic(target, text)
    print(f"{target}: written", file=sys.stderr)


def unified_diff(old: str, new: str, path: str) -> List[str]:
    """Unified diff lines, from ``linediff`` (no "popular line" heuristic, which in a
    prototxt of hundreds of ``param {`` and ``}`` lines makes one changed value look
    like a rewritten block, and no quadratic time on a whole-net edit).  Headers are
    git's ``a/`` and ``b/`` for a relative path, the path itself for an absolute one."""
    from ..linediff import hunks
    a, b = old.splitlines(True), new.splitlines(True)
    out = []
    for group in hunks(a, b):
        if not out:
            out += _headers(path)
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            out += [" " + line for line in a[i1:i2]] if tag == "equal" else []
            if tag != "equal":
                out += ["-" + line for line in a[i1:i2]] + ["+" + line for line in b[j1:j2]]
    return [line if line.endswith(("\n", "\r")) else line + "\n" for line in out]


def _headers(path: str) -> List[str]:
    if os.path.isabs(path) or path.startswith("<"):
        return [f"--- {path}\n", f"+++ {path}\n"]
    return [f"--- a/{path}\n", f"+++ b/{path}\n"]


def _range(start: int, stop: int) -> str:
    length = stop - start
    return f"{start + (1 if length else 0)},{length}" if length != 1 else str(start + 1)


def print_diff(old: str, new: str, path: str) -> None:
    """Unified diff on stdout: coloured on a terminal, plain when piped."""
    colour = is_terminal(sys.stdout)
    for line in unified_diff(old, new, path):
        start = _COLOURS.get(line[:1]) if colour and line[:3] not in ("+++", "---") else None
        sys.stdout.write(f"{start}{line.rstrip(chr(10))}{_RESET}\n" if start else line)

