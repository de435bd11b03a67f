"""Build the net in real Caffe (CPU, in a child process) and print Caffe's verdict:
blob shapes when it builds, Caffe's own fatal message at the prototxt line of the layer
it names when it does not (exit 1).  Data layers are replaced by Input layers (shapes
from --input-shape or the layer's batch/crop/resize), so no dataset is needed.
--weights also loads a .caffemodel and lists the layers copied; --train-steps N runs N
SGD steps on random inputs (from --weights when given) and checks that frozen layers
stayed fixed and every trainable parameter blob of the others moved (exit 1 otherwise).
Python layers are never imported unless --trust-python-layers: a stand-in with the shapes
ptx infers (or --input-shape gives) takes their place.  It says which Caffe answered
(upstream BVLC or a fork).  Needs pycaffe: tools/build-caffe.sh builds upstream BVLC Caffe;
--caffe PREFIX picks another build (exit 2 when missing, when Caffe crashes or exceeds
--timeout)."""
from __future__ import annotations

import sys

from ..formats.json import dumps
from .state import add_state_arguments

HELP = "build the net in real Caffe (pycaffe) and report its verdict"

HEADERS = ("blob", "shape", "count")
TRAIN_HEADERS = ("layer", "type", "lr_mult", "max change", "expected", "verdict")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="net .prototxt; - for stdin")
    add_state_arguments(parser, "build")
    parser.add_argument("--weights", metavar="CAFFEMODEL", help="also load these weights")
    parser.add_argument("--input-shape", action="append", default=[], metavar="NAME=N,C,H,W",
                        help="shape of a data top (repeatable); overrides derived shapes")
    parser.add_argument("--train-steps", type=int, default=0, metavar="N",
                        help="run N SGD steps on random inputs and report which layers moved")
    parser.add_argument("--caffe", metavar="PREFIX",
                        help="the Caffe build to run: PREFIX/python/caffe (default: importable "
                             "pycaffe, $PTX_CAFFE_PREFIX, ~/.cache/ptx/caffe)")
    parser.add_argument("--trust-python-layers", action="store_true",
                        help="import and run the modules of Python layers (default: stand-ins)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                        help="give up on Caffe after S seconds (default: 120)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args) -> int:
    from ..caffe.check import check_net
    from ..errors import PtxError
    from ..shapes.files import parse_input_shapes
    if args.train_steps < 0 or args.timeout <= 0:
        raise PtxError("--train-steps must be >= 0 and --timeout > 0")
    shapes = parse_input_shapes(args.input_shape)
    result = check_net(args.file, args.phase, args.weights, shapes, args.train_steps, args.timeout,
                       level=args.level, stages=args.stage, caffe=args.caffe,
                       trust_python_layers=args.trust_python_layers)
    if args.json:
        print(dumps(as_json(result), indent=2))
    elif result.fatal is not None:
        print(fatal_text(result), file=sys.stderr)
        for line in _caffe_lines(result):
            print(line, file=sys.stderr)
    else:
        _print_success(result)
    return 0 if result.ok else 1


def _caffe_lines(result) -> list:
    return result.caffe.lines() if result.caffe is not None else []


def fatal_text(result) -> str:
    fatal = result.fatal
    where = result.path
    if fatal.position:
        where += f":{fatal.position[0]}:{fatal.position[1]}"
    source = f" [{fatal.where}]" if fatal.where else ""
    return f"{where}: error: Caffe: {fatal.message}{source}"


def _print_success(result) -> None:
    from ..formats.table import print_table
    from ..shapes.core import count, dims_text
    rows = [(name, dims_text(shape), str(count(shape)))
            for name, shape in result.blobs]
    title = (f"{result.path}: Caffe builds the net "
             f"(phase {result.phase}, {len(result.layers)} layers)")
    print_table(HEADERS, rows, title)
    print(f"outputs: {', '.join(result.outputs) or '-'}")
    if result.swapped:
        print(f"data layers replaced by Input: {', '.join(result.swapped)}")
    if result.stood_in:
        print(f"Python layers not imported, stand-ins used: {', '.join(result.stood_in)} "
              "(--trust-python-layers runs their code)")
    for note in result.notes:
        print(f"note: {note}")
    if result.weights is not None:
        _print_weights(result.weights)
    if result.training is not None:
        _print_training(result)
    for line in _caffe_lines(result):
        print(line)


def _print_weights(report) -> None:
    print(f"weights: copied {len(report.copied)} layers: {', '.join(report.copied) or '-'}")
    if report.ignored:
        print(f"weights: ignored (no layer of that name): {', '.join(report.ignored)}")
    if report.not_in_weights:
        print(f"weights: not in the file, keep their initialisation: "
              f"{', '.join(report.not_in_weights)}")


def _print_training(result) -> None:
    from ..formats.table import print_table
    rows = [(t.name, t.type, " ".join(f"{lr:g}" for lr in t.lr_mults),
             " ".join(f"{d:.3g}" for d in t.deltas), t.expected,
             ("PROBLEM: " + t.problem) if t.problem else ("changed" if t.changed else "unchanged"))
            for t in result.training]
    print_table(TRAIN_HEADERS, rows, "after the SGD steps (weight decay and momentum off):")
    losses = ", ".join(f"{name} = {value:.4g}" for name, value in result.losses.items())
    if losses:
        print(f"outputs after training: {losses}")


def as_json(result) -> dict:
    out = {"file": result.path, "phase": result.phase, "ok": result.ok,
           "swapped_data_layers": result.swapped, "python_stand_ins": result.stood_in,
           "notes": result.notes,
           "caffe": result.caffe.as_json() if result.caffe is not None else None}
    if result.fatal is not None:
        fatal = result.fatal
        out["caffe_error"] = {"message": fatal.message, "caffe_source": fatal.where,
                              "layer": fatal.layer,
                              "line": fatal.position[0] if fatal.position else None,
                              "col": fatal.position[1] if fatal.position else None}
        return out
    out.update(layers=[{"name": n, "type": t} for n, t in result.layers],
               blobs=[{"name": n, "shape": list(s)} for n, s in result.blobs],
               inputs=result.inputs, outputs=result.outputs)
    if result.weights is not None:
        out["weights"] = vars(result.weights)
    if result.training is not None:
        out["training"] = [dict(vars(t), changed=t.changed) for t in result.training]
        out["losses"] = result.losses
    return out
