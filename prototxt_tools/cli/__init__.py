"""Command-line entry point: ``ptx <command> ...``.

Commands are plain modules listed in COMMANDS; each has ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``.  A command module is
imported only when it runs, so ``ptx show`` never pays for what ``ptx lint``
needs.  Every failure caused by the input becomes one line on stderr and
exit code 2 (PtxError); nothing else is allowed to escape as a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import List, Optional

from .. import __version__
from ..errors import PtxError

# name -> (module, one-line help).  Order is the order of ``ptx --help``.
COMMANDS = {
    "show": ("prototxt_tools.cli.show", "table of the layers of a net in one phase"),
    "edit": ("prototxt_tools.cli.edit", "fine-tuning surgery with minimal, reviewable diffs"),
    "lint": ("prototxt_tools.cli.lint", "check nets and solvers against coded rules (what Caffe dies on, what spoils training)"),
    "rule": ("prototxt_tools.cli.rule", "explain a lint rule, or list them all"),
    "weights": ("prototxt_tools.cli.weights", "list a .caffemodel's layers and blob shapes; rename/drop/keep-classes surgery"),
    "upgrade": ("prototxt_tools.cli.upgrade", "convert V0/V1 nets and old solvers to the current format"),
    "check": ("prototxt_tools.cli.check", "build the net in real Caffe (pycaffe) and report its verdict"),
    "log": ("prototxt_tools.cli.log", "training-log curves, parse_log-style CSV and a diagnosis"),
    "diff": ("prototxt_tools.cli.diff", "semantic diff of two nets (renames, frozen, lr_mult, params)"),
    "draw": ("prototxt_tools.cli.draw", "diagram of a net: svg/png/pdf via Graphviz, dot, html"),
}


def _version() -> str:
    """``ptx 0.1.0 (compiled parser)``: which parser this install runs says how fast it reads."""
    from ..syntax.parser import COMPILED
    return f"ptx {__version__} ({'compiled' if COMPILED else 'Python'} parser)"


def build_parser(commands=None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptx", description="Safe surgery and lint for Caffe network definitions.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if commands is not None and name not in commands:
            sub.add_parser(name, help=help_text, add_help=False)
            continue
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(command)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    wanted = [a for a in argv if a in COMMANDS][:1]
    parser = build_parser(commands=wanted or None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return module.run(args)
    except PtxError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ptx: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
