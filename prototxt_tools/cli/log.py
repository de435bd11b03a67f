"""Read a Caffe training log: training loss and outputs, learning rate, test outputs per
test net, timing, runs (resumed, crashed, appended), then a diagnosis (loss at 87.3365,
NaN, divergence, plateau, flat accuracy, overfitting: rules PTX601-PTX608, explained by
``ptx rule``).  -o draws the curves (matplotlib), --csv writes parse_log.py-style
.train/.test files, --json prints everything, --format prints only the diagnosis in a
lint output format (sarif, github...), --select/--ignore choose diagnoses."""
from __future__ import annotations

import sys

from ..formats import FINDINGS
from ..formats.json import dumps
from ..logs import load_log
from ..logs.report import log_dict, print_report
from ..logs.rules import diagnose

HELP = "training-log curves, parse_log-style CSV and a diagnosis"


def add_arguments(parser) -> None:
    parser.add_argument("file", help="Caffe training log (the output of `caffe train`); - for stdin")
    parser.add_argument("-o", "--output", metavar="PLOT",
                        help="write the curves to PLOT (.png, .svg or .pdf; needs matplotlib)")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="DIR",
                     help="write <log>.train and <log>.test (parse_log.py columns) into DIR")
    out.add_argument("--json", action="store_true", help="everything as JSON")
    out.add_argument("--format", choices=FINDINGS.names(),
                     help="only the diagnosis, in a lint output format (codes PTX6xx)")
    parser.add_argument("--select", metavar="CODES",
                        help="only these diagnoses (codes, prefixes or names, comma-separated)")
    parser.add_argument("--ignore", metavar="CODES", help="leave these diagnoses out")
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
        print(f"wrote {args.output}", file=sys.stderr)   # stdout stays the report or JSON
    if args.csv:
        from ..logs.csvfiles import write_csv_files
        for path in write_csv_files(log, args.csv):
            print(f"wrote {path}")
    findings = _selected(diagnose(log), args)
    if args.format:
        FINDINGS.get(args.format).render(findings, sys.stdout)
    elif args.json:
        print(dumps(log_dict(log, findings), indent=2))
    elif not args.csv:
        print_report(log, sys.stdout, findings)
    return 0


def _selected(findings: list, args) -> list:
    """``findings`` narrowed by --select and --ignore."""
    if args.select:
        wanted = _codes(args.select)
        findings = [f for f in findings if f.code in wanted]
    if args.ignore:
        unwanted = _codes(args.ignore)
        findings = [f for f in findings if f.code not in unwanted]
    return findings


def _codes(text: str) -> set:
    """Codes named by comma-separated selectors (as lint's); PtxError for an unknown one."""
    from ..errors import PtxError
    from ..rules import matching
    found = set()
    for selector in filter(None, (part.strip() for part in text.split(","))):
        rules = matching(selector)
        if not rules:
            raise PtxError(f"unknown rule code or name: {selector}")
        found |= {rule.CODE for rule in rules}
    return found
