"""Lint Caffe nets and solvers: coded rules for what Caffe dies on and what silently spoils training.

Exit status: 0 clean (or everything fixed), 1 findings at the failing severity
remain (errors; warnings too with --strict), 2 usage, config or internal error.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..formats import FINDINGS

HELP = "check nets and solvers against coded rules (what Caffe dies on, what spoils training)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or directories (recursive: *.prototxt, *.pt, solvers); - = stdin")
    parser.add_argument("--format", choices=FINDINGS.names(), default="text")
    parser.add_argument("--config", metavar="FILE", help="config file (default: nearest "
                        "pyproject.toml [tool.ptx] or setup.cfg [ptx])")
    parser.add_argument("--select", metavar="CODES", help="comma-separated codes, prefixes or names")
    parser.add_argument("--ignore", metavar="CODES", help="comma-separated codes, prefixes or names")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--unsafe-fixes", action="store_true", help="apply unsafe fixes too")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when findings remain (2 still means bad input)")
    parser.add_argument("--statistics", action="store_true",
                        help="print how many findings each rule made instead of the findings")
    parser.add_argument("--output-file", metavar="FILE",
                        help="write the report to FILE instead of standard output")
    parser.add_argument("--root", default=".", help="directory solver and data paths are "
                        "resolved against, as `caffe train` run there would (default: .)")
    parser.add_argument("--schema", metavar="PROTO", help="a fork's caffe.proto")
    parser.add_argument("--fork", metavar="NAME", help="lint with ptx's bundled schema of a "
                        "known fork: " + ", ".join(_fork_names()))
    parser.add_argument("--num-classes", type=int, metavar="N", help="number of classes")
    parser.add_argument("--labels", metavar="FILE", help="label list or class-names file")
    parser.add_argument("--weights", metavar="CAFFEMODEL", help="weights the net is fine-tuned from")
    parser.add_argument("--input-shape", action="append", default=[], metavar="NAME=N,C,H,W",
                        help="shape of a data top for the shape rules (repeatable), as in ptx show")


def _fork_names():
    from ..forks import bundled_names
    return bundled_names()


def _selectors(value):
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _config(args):
    from ..lint.config import load_config
    from ..lint.config_check import checked
    config = load_config(args.config)
    raw = {}
    if args.select:
        raw["select"] = _selectors(args.select)
    if args.ignore:
        raw["ignore"] = config.ignore + _selectors(args.ignore)
    if raw:
        flags = " ".join(f"--{k} {','.join(v)}" for k, v in raw.items())
        checked(raw, flags, "<command line>", config)
    return config


def _failing(problems, strict: bool) -> bool:
    levels = ("error", "warning") if strict else ("error",)
    return any(p.severity in levels for p in problems)


def run(args) -> int:
    from ..errors import PtxError
    from ..lint import LintOptions, lint_files
    if "-" in args.paths and (args.fix or args.unsafe_fixes):
        raise PtxError("--fix cannot write back to stdin; lint a file instead")
    if args.num_classes is not None and args.num_classes <= 0:
        raise PtxError("--num-classes must be a positive number")
    if args.labels and not os.path.isfile(args.labels):
        raise PtxError("no such file", args.labels)
    input_shapes = {}
    if args.input_shape:
        from ..shapes import parse_input_shapes
        input_shapes = parse_input_shapes(args.input_shape)
    config = _config(args)
    from ..forks import schema_option
    schema = schema_option(args.fork, args.schema)
    options = LintOptions(root=args.root, num_classes=args.num_classes, labels=args.labels,
                          weights=args.weights, schema=schema, fork=args.fork,
                          input_shapes=input_shapes)
    report = lint_files(args.paths, config, options, fix=args.fix or args.unsafe_fixes,
                        unsafe=args.unsafe_fixes)
    if not report.files:   # nothing was checked: no "No problems found." (as ruff does)
        print(f"warning: no net or solver files found under {', '.join(args.paths)} "
              f"(ptx lint reads *.prototxt, *.pt and *solver* files)", file=sys.stderr)
        if args.format == "text" and not (args.statistics or args.output_file):
            return 0
    _write_report(args, report)
    if args.exit_zero:
        return 0
    return 1 if _failing(report.problems, args.strict or config.strict) else 0


def _write_report(args, report) -> None:
    """The findings (or ``--statistics``) in ``--format``, on stdout or into ``--output-file``
    (written atomically, plain text: no terminal colours in a file)."""
    import io
    stream = io.StringIO() if args.output_file else sys.stdout
    if args.statistics:
        from ..lint.statistics import render_json, render_text, statistics
        rows = statistics(report.problems)
        (render_json if args.format in ("json", "sarif") else render_text)(rows, stream)
    else:
        FINDINGS.get(args.format).render(report.problems, stream, fixed=report.fixed)
    if args.output_file:
        from ..io import write_atomic
        write_atomic(args.output_file, stream.getvalue())
