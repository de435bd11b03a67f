"""Convert a V0/V1 net or an old solver to the current format, as Caffe's upgrade tools
would, but keeping every comment and the file's layout.

Prints the upgraded text by default; -o/--in-place write it atomically, --diff shows a
unified diff, --check only tells (exit 1 when an upgrade is needed). What changed goes
to stderr.
"""
from __future__ import annotations

import difflib
import sys

from ..errors import PtxError

HELP = "convert V0/V1 nets and old solvers to the current format"


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="net or solver .prototxt (- for stdin)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write the result to OUT")
    where.add_argument("--in-place", action="store_true", help="rewrite FILE itself")
    where.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 when FILE needs an upgrade, 0 otherwise")
    parser.add_argument("--diff", action="store_true", help="print a unified diff, not the text")


def run(args) -> int:
    from ..io import read_source
    from ..upgrade import upgrade_text
    if args.in_place and args.file == "-":
        raise PtxError("--in-place needs a file, not stdin", "-")
    text = read_source(args.file)
    result = upgrade_text(text, args.file)
    for change in result.changes:
        print(f"{args.file}:{change}", file=sys.stderr)
    if args.check:
        state = "needs an upgrade" if result.needed else "is already in the latest format"
        print(f"{args.file}: {state}", file=sys.stderr)
        return 1 if result.needed else 0
    if not result.needed:
        print(f"{args.file}: already in the latest format; nothing to change", file=sys.stderr)
    if args.diff:
        sys.stdout.writelines(_diff(text, result.text, args.file))
    target = args.output or (args.file if args.in_place else None)
    if target:
        _write(target, result.text, changed=result.needed or bool(args.output))
    elif not args.diff:
        sys.stdout.write(result.text)
    return 0


def _diff(old: str, new: str, path: str) -> list:
    lines = difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                 f"a/{path}", f"b/{path}")
    return [line if line.endswith(("\n", "\r")) else line + "\n" for line in lines]


def _write(target: str, text: str, changed: bool) -> None:
    """Write only text that parses again; an unchanged --in-place file is not touched."""
    from ..io import write_atomic
    from ..syntax import ParseError, parse
    if not changed:
        return
    try:
        parse(text)
    except ParseError as exc:
        raise PtxError(f"upgraded text does not parse ({exc}); nothing written", target) from None
    write_atomic(target, text)
    print(f"{target}: written", file=sys.stderr)
