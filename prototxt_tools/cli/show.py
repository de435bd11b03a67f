"""Show the layers of a net in one state (phase, level, stages): name, type,
bottoms -> tops, key parameters, lr_mult/decay_mult per parameter blob, in-place
marks, and a summary line.  Plain text when piped; --json for scripts."""
from __future__ import annotations

import sys

from ..api import load
from ..formats.table import print_table
from ..summary import display_number, layer_rows, totals
from .state import add_state_arguments
from . import show_shapes

HELP = "table of the layers of a net in one phase"

HEADERS = ("#", "line", "name", "type", "bottoms -> tops", "params", "lr/decay")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="net .prototxt (train_val, deploy...); - for stdin")
    add_state_arguments(parser)
    parser.add_argument("--json", action="store_true", help="stable machine-readable output")
    parser.add_argument("--schema", metavar="PROTO",
                        help="a fork's caffe.proto (SSD, SegNet...) instead of BVLC's")
    parser.add_argument("--fork", metavar="NAME", help="ptx's bundled schema of a known fork "
                        "(as in ptx lint --fork)")
    show_shapes.add_arguments(parser)


def run(args) -> int:
    from ..forks import schema_option
    ptx_file = load(args.file, schema=schema_option(args.fork, args.schema))
    if show_shapes.wanted(args):
        return show_shapes.run(ptx_file, args)
    graph = ptx_file.graph(args.phase, args.level, args.stage)
    rows = layer_rows(graph.layers())
    problems = sorted(graph.problems)
    if args.json:
        _print_json(ptx_file, args, rows, problems)
    else:
        _print_text(ptx_file, args, rows, problems)
    return 0


def _state_text(args) -> str:
    stages = ", ".join(args.stage) if args.stage else "none"
    return f"phase {args.phase}, level {args.level}, stages: {stages}"


def _print_text(ptx_file, args, rows, problems) -> None:
    name = ptx_file.net.name or "(unnamed net)"
    title = f"{name} ({ptx_file.path}) - {_state_text(args)}"
    print_table(HEADERS, [_cells(n, r) for n, r in enumerate(rows, 1)], title)
    summary = totals(rows)
    print(f"{summary['layers']} layers, {summary['learnable']} learnable, "
          f"{summary['frozen']} frozen")
    for problem in problems:
        print(problem.parsable(), file=sys.stderr)


def _cells(number, row) -> tuple:
    flow = f"{', '.join(row['bottoms']) or '-'} -> {', '.join(row['tops']) or '-'}"
    if row["in_place"]:
        flow += " (in place)"
    lr = " ".join(f"{display_number(lr)}/{display_number(decay)}" for lr, decay in row["lr_decay"])
    if row["frozen"]:
        lr += " frozen"
    return (str(number), str(row["line"]), row["name"], row["type"], flow, row["params"], lr)


def _print_json(ptx_file, args, rows, problems) -> None:
    from ..formats.json import dumps, problem_dict  # only for --json: off the start-up path
    doc = {
        "file": ptx_file.path,
        "name": ptx_file.net.name,
        "format": ptx_file.format,
        "state": {"phase": args.phase, "level": args.level, "stages": args.stage},
        "layers": rows,
        "summary": totals(rows),
        "problems": [problem_dict(p) for p in problems],
    }
    print(dumps(doc, indent=2, sort_keys=True))
