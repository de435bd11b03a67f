"""Command-line entry point: ``ptx <command> ...``.

Commands are plain modules listed in the registry COMMANDS; each has ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``.  A command module is
imported only when it runs, so ``ptx show`` never pays for what ``ptx lint``
needs.  Every failure caused by the input becomes one line on stderr and
exit code 2 (PtxError); nothing else is allowed to escape as a traceback.
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from .. import __version__
from ..errors import PtxError
from ..registry import Registry

# Order is the order of ``ptx --help``; each module has ``HELP`` (its one line there),
# ``add_arguments(parser)`` and ``run(args) -> int``.
COMMANDS = Registry("command", [f"{__name__}.{name}" for name in (
    "show", "finetune", "edit", "lint", "rule", "weights", "upgrade", "check", "log", "diff", "draw")])


def _version() -> str:
    """``ptx 0.1.0 (compiled parser)``: which parser this install runs says how fast it reads."""
    from ..syntax.parser import COMPILED
    return f"ptx {__version__} ({'compiled' if COMPILED else 'Python'} parser)"


def build_parser(commands=None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptx", description="Safe surgery and lint for Caffe network definitions.")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS.names():
        if commands is not None and name not in commands:
            sub.add_parser(name, add_help=False)   # not imported: its help is not shown
            continue
        module = COMMANDS.get(name)
        command = sub.add_parser(name, help=module.HELP, description=module.__doc__)
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
    module = COMMANDS.get(args.command)
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
