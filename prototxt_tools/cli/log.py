"""Read a Caffe training log: training loss and outputs, learning rate, test outputs per
test net, timing, runs (resumed, crashed, appended), then a diagnosis (loss at 87.3365,
NaN, divergence, plateau, flat accuracy, overfitting).  -o draws the curves (matplotlib),
--csv writes parse_log.py-style .train/.test files, --json prints everything."""
from __future__ import annotations

import sys

from ..formats.json import dumps
from ..logs import load_log
from ..logs.report import log_dict, print_report


def add_arguments(parser) -> None:
    parser.add_argument("file", help="Caffe training log (the output of `caffe train`); - for stdin")
    parser.add_argument("-o", "--output", metavar="PLOT",
                        help="write the curves to PLOT (.png, .svg or .pdf; needs matplotlib)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="DIR",
                     help="write <log>.train and <log>.test (parse_log.py columns) into DIR")
    out.add_argument("--json", action="store_true", help="everything as JSON")
    parser.add_argument("--follow", action="store_true",
                        help="keep reading a running log, printing each new row, until the run "
                             "ends (Optimization Done, a fatal line) or Ctrl-C")


def run(args) -> int:
    if args.follow:
        from ..logs.follow import follow
        log = follow(args.file, sys.stdout)
    else:
        log = load_log(args.file)
    if args.output:
        from ..logs.plot import save_plot
        save_plot(log, args.output)
    if args.csv:
        from ..logs.csvfiles import write_csv_files
        for path in write_csv_files(log, args.csv):
            print(f"wrote {path}")
    if args.json:
        print(dumps(log_dict(log), indent=2))
    elif not args.csv:
        print_report(log, sys.stdout)
    return 0
