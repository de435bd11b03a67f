"""``check_net``: build a net in real Caffe and say what Caffe says about it.

A net Caffe rejects is a normal result (``CheckResult.fatal``), not an
exception; pycaffe missing, a crash or a hang raise CaffeUnavailable (exit 2).
"""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..errors import PtxError
from .glog import Fatal, fatal_line, ignored_source_layers, layer_being_set_up, named_layer
from .runner import CaffeUnavailable, require_pycaffe, run_job
from .swap import layer_position, plan_swaps, swapped_text
from .training import LayerTraining, judge_training

# Caffe messages that name no layer -> the ptx graph problem code for the same fault.
_SAME_FAULT = (("produced by multiple sources", "PTX102"), ("does not allow in-place", "PTX105"),
               ("include rules or exclude rules", "PTX103"), ("Unknown bottom blob", "PTX101"))
TRAIN_BATCH = 2   # batch used for --train-steps when the user gives no shapes


@dataclass
class WeightsReport:
    copied: List[str]
    ignored: List[str]        # caffemodel layers with blobs that match no layer of the net
    not_in_weights: List[str]  # learnable layers of the net that keep their initialisation


@dataclass
class CheckResult:
    path: str
    phase: str
    fatal: Optional[Fatal] = None
    layers: List[Tuple[str, str]] = field(default_factory=list)
    blobs: List[Tuple[str, Tuple[int, ...]]] = field(default_factory=list)
    inputs: List[str] = field(default_factory=list)
    outputs: List[str] = field(default_factory=list)
    params: Dict[str, List[Tuple[int, ...]]] = field(default_factory=dict)
    swapped: List[str] = field(default_factory=list)     # data layers replaced by Input
    notes: List[str] = field(default_factory=list)
    weights: Optional[WeightsReport] = None
    training: Optional[List[LayerTraining]] = None
    losses: Dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        problems = [t for t in self.training or [] if t.problem]
        return self.fatal is None and not problems


def check_net(source, phase: str = "TRAIN", weights: Optional[str] = None,
              input_shapes: Optional[Dict[str, Sequence[int]]] = None, train_steps: int = 0,
              timeout: float = 120.0, fallback_shape: Optional[Sequence[int]] = None,
              save_weights: Optional[str] = None, level: int = 0,
              stages: Sequence[str] = ()) -> CheckResult:
    """Instantiate (and optionally train a few steps) ``source`` in Caffe; see CheckResult.
    ``level`` and ``stages`` are the net state given to ``caffe.Net(file, phase, level, stages)``
    (for --train-steps, the solver's ``train_state``); ptx's own graph uses the same state."""
    from ..api import load
    from ..net.kind import NET
    ptx = load(source)
    ptx.expect(NET)
    if train_steps and phase != "TRAIN":
        raise PtxError("--train-steps runs the TRAIN phase; drop --phase TEST", ptx.path)
    if weights and not os.path.isfile(weights):
        raise PtxError("weights file not found", weights)
    python_dir = require_pycaffe()
    given = dict(input_shapes or {})
    batch_cap = TRAIN_BATCH if train_steps and not given else None
    stages = list(stages)
    included = _included_layers(ptx, phase, level, stages)
    plans = plan_swaps(ptx.net, ptx.path, given, fallback_shape, batch_cap, included)
    job = {"phase": phase, "level": level, "stages": stages, "train_steps": train_steps,
           "weights": os.path.abspath(weights) if weights else None,
           "labels": [top for plan in plans for top in plan.labels],
           "save_weights": save_weights}
    outcome = run_job(job, swapped_text(ptx.doc, plans), timeout, python_dir)
    result = CheckResult(ptx.path, phase, swapped=[p.layer.name for p in plans],
                         notes=[note for p in plans for note in p.assumed])
    if outcome.result is None:
        result.fatal = _rejection(ptx, outcome, phase, level, stages)
        return result
    _fill(result, ptx, outcome, python_dir)
    built = {name for name, _ in result.layers}
    result.swapped = list(dict.fromkeys(name for name in result.swapped if name in built))
    result.notes = list(dict.fromkeys(result.notes))
    if weights:
        result.weights = _weights_report(weights, result.params, outcome.stderr)
    return result


def _fill(result: CheckResult, ptx, outcome, python_dir: str) -> None:
    data = outcome.result
    if "import_error" in data:
        where = python_dir or "the current Python"
        raise CaffeUnavailable(f"pycaffe in {where} does not import ({data['import_error']}); "
                               "rebuild it with tools/build-caffe.sh")
    if "error" in data:
        raise CaffeUnavailable(f"pycaffe failed: {_user_paths(data['error'], outcome, ptx.path)}")
    result.layers = [tuple(pair) for pair in data["layers"]]
    result.blobs = [(name, tuple(shape)) for name, shape in data["blobs"]]
    result.inputs, result.outputs = data["inputs"], data["outputs"]
    result.params = {k: [tuple(s) for s in v] for k, v in data["params"].items()}
    if "changes" in data:
        result.training = judge_training(ptx.net, data["changes"], dict(result.layers))
        result.losses = data.get("losses", {})


def _user_paths(text: str, outcome, path: str) -> str:
    return text.replace(os.path.join(outcome.workdir, "net.prototxt"), path)


def _included_layers(ptx, phase: str, level: int, stages) -> Optional[set]:
    """Indexes of the layers Caffe keeps in this state, or None when ptx's graph fails."""
    try:
        graph = ptx.graph(phase, level, stages)
    except Exception:  # a ptx graph bug must not stop Caffe from judging the net
        return None
    return {layer.index for layer in graph.layers()}


def _rejection(ptx, outcome, phase: str, level: int = 0, stages=()) -> Fatal:
    fatal = fatal_line(outcome.stderr)
    if fatal is None:
        raise CaffeUnavailable(_crash_message(outcome))
    fatal.message = _user_paths(fatal.message, outcome, ptx.path)
    if fatal.position is None:
        names = [layer.name for layer in ptx.net.layers]
        fatal.layer = (named_layer(fatal.message, names)
                       or _layer_from_graph(ptx, fatal, phase, level, stages))
        layer = next((x for x in ptx.net.layers if x.name == fatal.layer), None)
        if layer is not None:
            fatal.position = layer_position(ptx.doc, layer)
    return fatal


def _layer_from_graph(ptx, fatal: Fatal, phase: str, level: int = 0,
                      stages=()) -> Optional[str]:
    """For Caffe messages that name no layer: the layer ptx's graph flags for the same fault."""
    code = next((c for text, c in _SAME_FAULT if text in fatal.message), None)
    if code is None:
        return None
    try:
        problems = ptx.graph(phase, level, stages).problems
    except Exception:  # a ptx graph bug must not hide Caffe's verdict
        return None
    for problem in problems:
        if problem.code != code:
            continue
        for layer in ptx.net.layers:
            if layer.node.line <= problem.line <= layer.node.end_position[0]:
                return layer.name
    return None


def _crash_message(outcome) -> str:
    code = outcome.returncode
    how = f"exit code {code}"
    if code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
    tail = [line for line in outcome.stderr.strip().splitlines() if line.strip()][-1:]
    last = f"; last output: {tail[0][:200]}" if tail else ""
    return f"Caffe crashed ({how}) without a fatal message{last}"


def _weights_report(weights: str, params: Dict[str, list], stderr: str) -> WeightsReport:
    from ..weights import scan_caffemodel
    from ..weights.hdf5 import HDF5
    from ..weights.scan import weights_kind
    if weights_kind(weights) == HDF5:  # read from Caffe's own log: works without h5py
        ignored = ignored_source_layers(stderr)
        return WeightsReport([n for n in params if n not in ignored], ignored, [])
    stored = [layer for layer in scan_caffemodel(weights).layers if layer.blob_shapes]
    names = {layer.name for layer in stored}
    return WeightsReport([l.name for l in stored if l.name in params],
                         [l.name for l in stored if l.name not in params],
                         [n for n in params if n not in names])
