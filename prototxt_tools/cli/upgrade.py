"""Convert a V0/V1 net or an old solver to the current format, as Caffe's upgrade tools
would, but keeping every comment and the file's layout.

Prints the upgraded text by default; -o/--in-place write it atomically, --diff shows a
unified diff, --check only tells (exit 1 when an upgrade is needed). What changed goes
to stderr.
"""
from __future__ import annotations

import sys

from .output import add_output_arguments, emit, refuse_stdin_in_place

HELP = "convert V0/V1 nets and old solvers to the current format"


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="net or solver .prototxt (- for stdin)")
    add_output_arguments(parser, "write nothing; exit 1 when FILE needs an upgrade, 0 otherwise")


def run(args) -> int:
    from ..io import read_source
    from ..upgrade import upgrade_text
    refuse_stdin_in_place(args)
    text = read_source(args.file)
    result = upgrade_text(text, args.file, check=True)
    for change in result.changes:
        print(f"{args.file}:{change}", file=sys.stderr)
    if not result.needed and not args.check:
        print(f"{args.file}: already in the latest format; nothing to change", file=sys.stderr)
    return emit(args, text, result.text, result.needed,
                ("needs an upgrade", "is already in the latest format"))
