"""``ptx show --shapes`` / ``--weights``: blob and parameter shapes, MACs and memory per
layer, and what Caffe's CopyTrainedLayersFrom would do with a caffemodel.

Called from show.py; imports nothing heavy (no numpy, no protobuf, rich only on a terminal).
"""
from __future__ import annotations

import sys

from ..formats.table import print_table
from ..shapes.core import dims_text

SHAPE_HEADERS = ("#", "line", "name", "type", "top shapes", "param shapes", "params", "MACs")
WEIGHT_HEADERS = ("layer", "copy", "detail")


def add_arguments(parser) -> None:
    parser.add_argument("--shapes", action="store_true",
                        help="blob shape per top, parameter shapes, MACs and activation memory")
    parser.add_argument("--weights", metavar="A.caffemodel[,B...]",
                        help="preview what Caffe does when it copies these weights into the net")
    parser.add_argument("--input-shape", action="append", default=[], metavar="NAME=N,C,H,W",
                        help="shape of an input or data-layer top (repeatable)")


def wanted(args) -> bool:
    return bool(getattr(args, "shapes", False) or getattr(args, "weights", None))


def run(ptx_file, args) -> int:
    from ..shapes import infer_file, parse_input_shapes
    given = parse_input_shapes(args.input_shape)
    result = infer_file(ptx_file, args.phase, args.level, args.stage, given)
    preview = _preview(args.weights, result) if args.weights else None
    if args.json:
        _print_json(ptx_file, args, result, preview)
        return 0
    if args.shapes or not preview:
        _print_shapes(ptx_file, args, result)
    if preview is not None:
        _print_preview(preview)
    return 0


def _preview(weights: str, result):
    from ..weights import preview_copy, scan_caffemodel, targets_from_shapes
    scans = [scan_caffemodel(path) for path in weights.split(",") if path]
    return preview_copy(targets_from_shapes(result), scans)


def dims(shape) -> str:
    """``1x21x8x8``; ``?`` for an unknown shape or axis (``?x21x?x?``: channels known)."""
    return dims_text(shape)


def human(number: int) -> str:
    for unit, size in (("G", 10 ** 9), ("M", 10 ** 6), ("k", 10 ** 3)):
        if number >= size:
            return f"{number / size:.1f}{unit}"
    return str(number)


def _status_note(entry) -> str:
    if entry.status == "unknown-type":
        return f"? (no shape rule for {entry.layer.type})"
    if entry.status == "error":
        return "? (Caffe would stop here)"
    partial = entry.partial_tops or [None] * len(entry.tops)
    shown = [dims(t if t is not None else p) for t, p in zip(entry.tops, partial)]
    anonymous = [f"{dims(t)} (automatic)" for t in entry.anonymous_tops]
    return ", ".join(shown + anonymous) or "-"


def _print_shapes(ptx_file, args, result) -> None:
    rows = []
    for n, entry in enumerate(result.layers, 1):
        rows.append((str(n), str(entry.layer.node.line), entry.layer.name, entry.layer.type,
                     _status_note(entry),
                     ", ".join(dims(p) for p in entry.params) or "-",
                     f"{entry.param_count:,}" if entry.params else "-",
                     human(entry.macs) if entry.macs else "-"))
    title = f"{ptx_file.net.name or '(unnamed net)'} ({ptx_file.path}) - phase {args.phase}"
    print_table(SHAPE_HEADERS, rows, title)
    unknown = sum(1 for e in result.layers if e.status != "ok")
    print(f"{result.total_params:,} parameters, {human(result.total_macs)} MACs, "
          f"{result.activation_bytes / 2 ** 20:.1f} MiB activations "
          f"(Caffe's 'Memory required for data'); {unknown} layers with unknown shapes")
    for entry in result.errors:
        layer = entry.layer
        print(f"{ptx_file.path}:{layer.node.line}:{layer.node.col}: error: layer '{layer.name}': "
              f"{entry.error.message}", file=sys.stderr)


def _print_preview(preview) -> None:
    rows = [(o.layer, o.status, o.message or (f"from {o.weights}" if o.weights else ""))
            for o in preview.outcomes]
    print_table(WEIGHT_HEADERS, rows, "weight copy (Caffe's CopyTrainedLayersFrom)")
    fatal = preview.fatal
    counts = {}
    for outcome in preview.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    print(", ".join(f"{v} {k}" for k, v in counts.items()) +
          (f"; Caffe would stop at layer '{fatal[0].layer}'" if fatal else ""))


def _json_tops(entry) -> dict:
    from ..shapes.infer import ANONYMOUS_TOP
    tops = dict(zip(entry.layer.tops, map(_json_shape, entry.tops)))
    tops.update((ANONYMOUS_TOP, _json_shape(t)) for t in entry.anonymous_tops)
    return tops


def _print_json(ptx_file, args, result, preview) -> None:
    from ..formats.json import dumps   # not on ptx show's start-up path
    doc = {
        "file": ptx_file.path,
        "state": {"phase": args.phase, "level": args.level, "stages": args.stage},
        "layers": [{"name": e.layer.name, "type": e.layer.type, "line": e.layer.node.line,
                    "status": e.status, "tops": _json_tops(e),
                    "params": [list(p) for p in e.params], "param_count": e.param_count,
                    "macs": e.macs, "error": e.error.message if e.error else None}
                   for e in result.layers],
        "total_params": result.total_params, "total_macs": result.total_macs,
        "activation_bytes": result.activation_bytes,
    }
    if preview is not None:
        doc["weights"] = [{"layer": o.layer, "status": o.status, "message": o.message,
                           "weights": o.weights} for o in preview.outcomes]
    print(dumps(doc, indent=2, sort_keys=True))


def _json_shape(shape):
    return None if shape is None else list(shape)
