"""Compare two nets for a fine-tuning review: layers added, removed, renamed (matched by
position and wiring; a renamed layer starts from its filler), parameters changed,
frozen/unfrozen layers, lr_mult changes.  V0/V1 nets are compared as Caffe loads them,
upgraded (a note says so).  Exit 0 when the nets are the same, 1 when
they differ (like diff), 2 on bad input."""
from __future__ import annotations

HELP = "semantic diff of two nets (renames, frozen, lr_mult, params)"



def add_arguments(parser) -> None:
    parser.add_argument("a", help="original net .prototxt")
    parser.add_argument("b", help="changed net .prototxt")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--schema", metavar="PROTO", help="a fork's caffe.proto")


def run(args) -> int:
    from ..diff import compare_files
    from ..diff.report import json_report, text_report
    from ..formats.json import dumps
    result = compare_files(args.a, args.b, schema=args.schema)
    doc = json_report(args.a, args.b, *result)
    if args.json:
        print(dumps(doc, indent=2))
    else:
        print(text_report(args.a, args.b, *result))
    return 1 if doc["different"] else 0
