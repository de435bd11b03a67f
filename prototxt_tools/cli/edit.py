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

from ..errors import PtxError
from .output import add_output_arguments, emit, refuse_stdin_in_place

HELP = "fine-tuning surgery: rename, replace heads, freeze, strategies, deploy"

# (pass, metavar, help); the flag is the pass name with dashes (``option``).  The order
# of flags on the command line is kept.
FLAGS = [
    ("rename", "OLD=NEW", "rename a layer, its same-named tops and their readers"),
    ("rename_blob", "OLD=NEW", "rename one blob everywhere"),
    ("num_output", "LAYER=N", "set num_output"),
    ("replace_head", "N", "new heads for N classes (detection adds background); "
     "N may be omitted ('-') with --labels"),
    ("freeze", "LAYER[,...]", "lr_mult 0 / decay_mult 0 on every param blob"),
    ("freeze_until", "LAYER", "freeze LAYER and every learnable layer below"),
    ("freeze_fraction", "F", "freeze the first F of the learnable layers"),
    ("unfreeze", "LAYER[,...]", "undo a freeze (lr 1/2, decay 1/0)"),
    ("strategy", "NAME[=LAYER]", "feature-extractor, fine-tune-all, "
     "early-features[=LAYER], from-scratch"),
    ("cut_gradient", "LAYER", "propagate_down false on every bottom"),
    ("lr_mult", "LAYER=W[,B]", "set lr_mult of the weights (and bias)"),
    ("decay_mult", "LAYER=W[,B]", "set decay_mult of the weights (and bias)"),
]


def option(pass_name: str) -> str:
    """The command-line flag of a pass: ``cut_gradient`` -> ``--cut-gradient``."""
    return "--" + pass_name.replace("_", "-")


class _Ordered(argparse.Action):
    """Append (pass, value) to one list, so passes run in command-line order."""

    def __call__(self, parser, namespace, values, option_string=None):
        ops = getattr(namespace, "ops", None) or []
        ops.append((self.const, values))
        namespace.ops = ops


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="net .prototxt (- for stdin)")
    passes = parser.add_argument_group("passes (applied in the order given)")
    for name, metavar, text in FLAGS:
        passes.add_argument(option(name), action=_Ordered, const=name, dest="ops", metavar=metavar,
                            help=text)
    passes.add_argument(option("to_deploy"), action=_Ordered, const="to_deploy", dest="ops",
                        nargs=0, help="train_val -> deploy (Input layer, Softmax, no labels)")
    head = parser.add_argument_group("options of --replace-head, --strategy, --to-deploy")
    head.add_argument("--labels", metavar="FILE",
                      help="class names, label list or SSD labelmap giving --replace-head's N")
    head.add_argument("--drop-class-weighting", action="store_true",
                      help="remove a SegNet loss's class_weighting of the old class count")
    head.add_argument("--head", action="append", default=[], metavar="LAYER",
                      help="the head layer(s) to replace (default: found from the losses)")
    names = head.add_mutually_exclusive_group()
    names.add_argument("--name", help="new name of the (single) head")
    names.add_argument("--suffix", help="suffix for renamed heads (default _new)")
    head.add_argument("--head-lr-mult", default="10,20", metavar="W,B",
                      help="lr_mult of the new head's weights and bias (default 10,20)")
    head.add_argument("--input-shape", metavar="N,C,H,W", help="shape of the deploy Input")
    parser.add_argument("--explain-strategy", action="store_true",
                        help="print the strategy table and what each preset does to FILE")
    add_output_arguments(parser, "write nothing; exit 1 when the edit would change FILE")
    parser.set_defaults(ops=[])


def run(args) -> int:
    from .. import load
    from ..passes.driver import edit
    from .edit_args import pass_calls
    refuse_stdin_in_place(args)
    ptx_file = load(args.file)
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
    return emit(args, outcome.original, outcome.text, outcome.changed)
