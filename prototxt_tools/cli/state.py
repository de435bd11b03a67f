"""--phase/--stage/--level: the NetState Caffe filters layers with, as ``caffe.Net(file,
phase, level=N, stages=[S...])`` takes it.  One definition for every command that
looks at a net in one state (show, check, draw)."""
from __future__ import annotations


def add_state_arguments(parser, verb: str = "show") -> None:
    parser.add_argument("--phase", choices=("TRAIN", "TEST"), default="TRAIN", type=str.upper,
                        help=f"phase to {verb} (default: TRAIN)")
    parser.add_argument("--stage", action="append", default=[], metavar="S",
                        help="a stage of the net state, as caffe.Net(..., stages=[S]) (repeatable)")
    parser.add_argument("--level", type=int, default=0, metavar="N",
                        help="net state level, as caffe.Net(..., level=N) (default: 0)")
