"""List the layers of a binary .caffemodel or an HDF5 .caffemodel.h5 (names, types, blob
shapes) without loading its floats, or write a changed copy of either: --rename
OLD=NEW, --drop LAYER, --keep-classes LAYER=i,j,k|FILE (keep those output rows of a
classifier's weights and bias).
The input is never modified; the output is verified before it replaces anything."""
from __future__ import annotations

import sys

from ..errors import PtxError
from ..formats.json import dumps
from ..formats.table import print_table
from ..shapes.core import dims_text

HELP = "list a .caffemodel's layers and blob shapes; rename/drop/keep-classes surgery"

HEADERS = ("#", "name", "type", "blob shapes", "values")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="binary .caffemodel or HDF5 .caffemodel.h5")
    parser.add_argument("--json", action="store_true", help="machine-readable listing")
    parser.add_argument("-o", "--output", metavar="OUT.caffemodel",
                        help="write a changed copy here (needs --rename/--drop/--keep-classes)")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                        help="rename a layer (repeatable)")
    parser.add_argument("--drop", action="append", default=[], metavar="LAYER",
                        help="remove a layer and its weights (repeatable)")
    parser.add_argument("--keep-classes", action="append", default=[], metavar="LAYER=i,j,k|FILE",
                        help="keep only these output rows of LAYER's weights and bias (repeatable)")


def run(args) -> int:
    from ..weights.plan import parse_plan
    from ..weights.surgery import apply_surgery
    plan = parse_plan(args.rename, args.drop, args.keep_classes)
    if plan.empty and args.output:
        raise PtxError("-o needs at least one of --rename, --drop, --keep-classes")
    if not plan.empty and not args.output:
        raise PtxError("--rename/--drop/--keep-classes need -o OUT.caffemodel "
                       "(the input is never modified)")
    if args.output:
        report = apply_surgery(args.file, args.output, plan)
        for change in report.changes:
            print(change)
        print(f"wrote {report.output} ({len(report.layers)} layers, verified)")
        return 0
    from ..weights import scan_caffemodel
    scan = scan_caffemodel(args.file)
    if args.json:
        _print_json(scan)
    else:
        _print_text(scan)
    return 0


def _shape(blob) -> str:
    text = dims_text(blob.shape)
    return text + (" (legacy)" if blob.legacy else "")


def _print_text(scan) -> None:
    rows = [(str(n), layer.name, layer.type or "-", ", ".join(_shape(b) for b in layer.blobs) or "-",
             f"{sum(b.values for b in layer.blobs):,}" if layer.blobs else "-")
            for n, layer in enumerate(scan.layers, 1)]
    title = f"{scan.name or '(unnamed net)'} ({scan.path}, {scan.size:,} bytes, {scan.format})"
    print_table(HEADERS, rows, title)
    with_blobs = [layer for layer in scan.layers if layer.blobs]
    total = sum(b.values for layer in with_blobs for b in layer.blobs)
    print(f"{len(scan.layers)} layers, {len(with_blobs)} with weights, {total:,} values")


def _print_json(scan) -> None:
    doc = {"file": scan.path, "name": scan.name, "bytes": scan.size, "format": scan.format,
           "layers": [{"name": layer.name, "type": layer.type,
                       "blobs": [{"shape": list(b.shape), "legacy": b.legacy, "values": b.values}
                                 for b in layer.blobs]} for layer in scan.layers]}
    print(dumps(doc, indent=2, sort_keys=True))
