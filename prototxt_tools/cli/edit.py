"""Fine-tuning surgery with minimal, reviewable diffs.

Passes run in the order given on the command line, each on the result of the
previous one; only the lines that must change, change.  The result is printed
(default), written (-o, --in-place), shown as a diff (--diff, writes nothing) or
only checked (--check: exit 1 when something would change).  A result that does
not parse, or gains graph or shape errors in any phase, is refused (exit 2, nothing
written).
What changed goes to stderr.

Example:  ptx edit train_val.prototxt --replace-head 20 --name fc8_flickr
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Tuple

from ..errors import PtxError
from .output import add_output_arguments, emit, refuse_stdin_in_place

HELP = "fine-tuning surgery with minimal, reviewable diffs"


class _Ordered(argparse.Action):
    """Append (pass, value) to one list, so passes run in command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):
        ops = getattr(namespace, "ops", None) or []
        ops.append((self.const, values))
        namespace.ops = ops


def add_arguments(parser) -> None:
    """The file, one flag per registered pass (``passes.PASSES``), then the options passes read."""
    from ..passes import PASSES
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="net .prototxt (- for stdin); several nets of one model (train, "
                             "test, deploy) or a solver (its nets) are edited together")
    group = parser.add_argument_group("passes (applied in the order given)")
    for edit_pass in PASSES:
        value = {"metavar": edit_pass.metavar} if edit_pass.metavar else {"nargs": 0}
        group.add_argument(edit_pass.flag, action=_Ordered, const=edit_pass.name, dest="ops",
                           help=edit_pass.help, **value)
    _add_options(parser, list(PASSES))
    parser.add_argument("--explain-strategy", action="store_true",
                        help="print the strategy table and what each preset does to FILE")
    add_output_arguments(parser, "write nothing; exit 1 when the edit would change FILE")
    parser.set_defaults(ops=[])


def _add_options(parser, passes: list) -> None:
    """Each Option once, under a heading naming the passes that read options."""
    readers = [p.flag for p in passes if p.options]
    group = parser.add_argument_group(f"options of {', '.join(readers)}")
    exclusive: dict = {}
    for option in dict.fromkeys(o for p in passes for o in p.options):
        target = group
        if option.exclusive:
            if option.exclusive not in exclusive:   # one group per name: an empty one breaks --help
                exclusive[option.exclusive] = group.add_mutually_exclusive_group()
            target = exclusive[option.exclusive]
        target.add_argument(option.flag, **option.settings)


def pass_calls(args) -> List[Tuple[str, dict]]:
    """(pass name, parameters) in command-line order, each value read by its pass."""
    from ..passes import get_pass
    return [(name, get_pass(name).params(value if isinstance(value, str) else None, args))
            for name, value in args.ops]


def run(args) -> int:
    from .. import load
    from ..passes.driver import edit
    args.file = args.files[0]
    refuse_stdin_in_place(args)
    if getattr(args, "write_labelmap", None) and not getattr(args, "labels", None):
        raise PtxError("--write-labelmap writes the classes of --labels FILE; give --labels")
    ptx_file = load(args.file)
    if len(args.files) > 1 or ptx_file.kind == "solver":
        return _run_model(args, ptx_file)
    if args.explain_strategy:
        from ..passes.strategy import explain
        sys.stdout.write(explain(ptx_file))
        return 0
    if not args.ops:
        raise PtxError("nothing to do: give at least one pass (see ptx edit --help)")
    outcome = edit(ptx_file, pass_calls(args))
    for change in outcome.changes:
        print(f"{args.file}: {change}", file=sys.stderr)
    for note in outcome.notes:
        print(f"{args.file}: note: {note}", file=sys.stderr)
    code = emit(args, outcome.original, outcome.text, outcome.changed)
    _write_labelmap(args)
    return code


def _write_labelmap(args) -> None:
    """``--write-labelmap FILE``: after the net is written (not with --check or --diff)."""
    target = getattr(args, "write_labelmap", None)
    if not target or args.check or args.diff:
        return
    from ..heads.labelmap import write_labelmap
    write_labelmap(args.labels, target)
    print(f"{target}: written", file=sys.stderr)


def _run_model(args, first) -> int:
    """Several files of one model (or a solver's nets): the same passes on each, the
    results refused together when they disagree (``heads.model``)."""
    import copy

    from .. import load
    from ..heads.model import edit_model, solver_nets
    paths = solver_nets(first) if first.kind == "solver" else list(args.files)
    if args.explain_strategy or not args.ops:
        raise PtxError("give passes to apply to the model's files (see ptx edit --help)")
    if "-" in paths or args.output or not (args.in_place or args.diff or args.check):
        raise PtxError("several files are edited with --in-place, --diff or --check "
                       "(not stdin, stdout or -o)")
    files = [load(path) for path in paths]
    outcomes = edit_model(files, pass_calls(args))
    code = 0
    for path, outcome in zip(paths, outcomes):
        for change in outcome.changes:
            print(f"{path}: {change}", file=sys.stderr)
        for note in outcome.notes:
            print(f"{path}: note: {note}", file=sys.stderr)
        one = copy.copy(args)
        one.file = path
        code = max(code, emit(one, outcome.original, outcome.text, outcome.changed))
    _write_labelmap(args)
    return code
