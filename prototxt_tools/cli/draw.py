"""Draw a net in one phase: layers as boxes (in-place layers folded into the layer they
modify), blobs on the arrows with shapes when known, colours for fine-tuning: frozen,
trainable, boosted lr, starting from its filler (--base diff or --weights copy preview),
lint findings.  .svg/.png/.pdf need Graphviz's dot; .dot and .html do not."""
from __future__ import annotations

import os

from ..errors import PtxError
from .state import add_state_arguments

HELP = "diagram of a net: svg/png/pdf via Graphviz, dot, html"

FORMATS = ("svg", "png", "pdf", "dot", "html")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="net .prototxt; - for stdin")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="output file: .svg, .png, .pdf (Graphviz), .dot or .html")
    add_state_arguments(parser, "draw")
    parser.add_argument("--weights", metavar="CAFFEMODEL",
                        help="mark layers that would start from their filler with these weights")
    parser.add_argument("--base", metavar="PROTOTXT",
                        help="the original net: layers new or renamed since then start from "
                             "their filler")
    parser.add_argument("--no-shapes", action="store_true", help="leave shapes off the arrows")
    parser.add_argument("--no-lint", action="store_true", help="do not mark lint findings")
    parser.add_argument("--rankdir", choices=("TB", "LR"), default="TB")
    parser.add_argument("--schema", metavar="PROTO", help="a fork's caffe.proto")


def run(args) -> int:
    from ..api import load
    from ..draw.dot import to_dot
    from ..draw.prepare import diagram_for
    fmt = os.path.splitext(args.output)[1].lower().lstrip(".")
    if fmt not in FORMATS:
        raise PtxError(f"unknown output format '.{fmt}' (use {', '.join('.' + f for f in FORMATS)})",
                       args.output)
    if fmt in ("svg", "png", "pdf"):
        from ..draw.render import dot_program
        dot_program()   # fail before the work when Graphviz is missing
    ptx_file = load(args.file, schema=args.schema)
    diagram = diagram_for(ptx_file, args.phase, args.base, args.weights, not args.no_shapes,
                          not args.no_lint, args.stage, args.level)
    if fmt == "html":
        from ..draw.html import to_html
        _write(args.output, to_html(diagram).encode("utf-8"))
        return 0
    dot_text = to_dot(diagram, args.rankdir)
    if fmt == "dot":
        _write(args.output, dot_text.encode("utf-8"))
        return 0
    from ..draw.render import render
    _write(args.output, render(dot_text, fmt))
    return 0


def _write(path: str, data: bytes) -> None:
    """Atomically (a failed render or a full disk leaves an older diagram as it was)."""
    from ..io import write_atomic
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise PtxError(f"cannot write: {exc.strerror}", path) from None
