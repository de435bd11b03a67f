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
from .glog import (Fatal, fatal_line, ignored_source_layers, layer_being_set_up, named_layer,
                   python_exception)
from .identity import CaffeBuild
from .runner import (CaffeUnavailable, has_input_layer, registry_from_tool, require_pycaffe,
                     run_job)
from .standins import SILENCE_SUFFIX, StandIn, plan_stand_ins, python_layers, python_module
from .swap import layer_position, plan_swaps, swapped_text
from .training import LayerTraining, judge_training

# Caffe messages that name no layer -> the ptx graph problem code for the same fault.
_SAME_FAULT = (("produced by multiple sources", "PTX102"), ("does not allow in-place", "PTX105"),
               ("include rules or exclude rules", "PTX103"), ("Unknown bottom blob", "PTX101"))
TRAIN_BATCH = 2   # batch used for --train-steps when the user gives no shapes
# Python modules pycaffe imports whose pip package has another name.
_PIP_NAMES = {"google": "protobuf", "skimage": "scikit-image", "yaml": "pyyaml",
              "cv2": "opencv-python", "PIL": "pillow"}


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
    stood_in: List[str] = field(default_factory=list)    # Python layers replaced by stand-ins
    caffe: Optional[CaffeBuild] = None                   # which Caffe answered
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
              stages: Sequence[str] = (), caffe: Optional[str] = None,
              trust_python_layers: bool = False) -> CheckResult:
    """Instantiate (and optionally train a few steps) ``source`` in Caffe; see CheckResult.
    ``level`` and ``stages`` are the net state given to ``caffe.Net(file, phase, level, stages)``
    (for --train-steps, the solver's ``train_state``); ptx's own graph uses the same state.
    ``caffe``: the build to use (a prefix, --caffe).  Python layers are replaced by stand-ins
    (standins.py) unless ``trust_python_layers``."""
    from ..api import load
    from ..net.kind import NET
    ptx = load(source)
    ptx.expect(NET)
    if train_steps and phase != "TRAIN":
        raise PtxError("--train-steps runs the TRAIN phase; drop --phase TEST", ptx.path)
    if weights and not os.path.isfile(weights):
        raise PtxError("weights file not found", weights)
    python_dir = require_pycaffe(caffe)
    given = dict(input_shapes or {})
    batch_cap = TRAIN_BATCH if train_steps and not given else None
    stages = list(stages)
    graph = _graph(ptx, phase, level, stages)
    included = {layer.index for layer in graph.layers()} if graph is not None else None
    plans = plan_swaps(ptx.net, ptx.path, given, fallback_shape, batch_cap, included)
    stand_ins = [] if trust_python_layers else _stand_ins(ptx, graph, included, given, plans,
                                                         fallback_shape, train_steps)
    job = {"phase": phase, "level": level, "stages": stages, "train_steps": train_steps,
           "weights": os.path.abspath(weights) if weights else None,
           "labels": [top for plan in plans for top in plan.labels],
           "save_weights": save_weights}
    text = swapped_text(ptx.doc, plans, stand_ins, net_inputs=not has_input_layer(python_dir))
    outcome = run_job(job, text, timeout, python_dir)
    result = CheckResult(ptx.path, phase, swapped=[p.layer.name for p in plans],
                         notes=[note for p in plans + stand_ins for note in p.assumed],
                         stood_in=[p.layer.name for p in stand_ins])
    if outcome.caffe is not None:
        if outcome.caffe.get("types") is None:   # a pycaffe before layer_type_list
            outcome.caffe["types"] = registry_from_tool(python_dir)
        result.caffe = CaffeBuild.from_child(outcome.caffe)
    if outcome.result is None:
        result.fatal = _rejection(ptx, outcome, phase, level, stages)
        return result
    if "error" in outcome.result and "import_error" not in outcome.result:
        result.fatal = _python_failure(ptx, outcome)
        if result.fatal is not None:
            return result
    _fill(result, ptx, outcome, python_dir, stand_ins)
    built = {name for name, _ in result.layers}
    built |= {plan.layer.name for plan in plans   # became net-level inputs (no Input layer)
              if plan.built and {top for top, _ in plan.shapes} <= set(result.inputs)}
    result.swapped = list(dict.fromkeys(name for name in result.swapped if name in built))
    result.notes = list(dict.fromkeys(result.notes))
    if weights:
        result.weights = _weights_report(weights, result.params, outcome.stderr)
    return result


def _graph(ptx, phase: str, level: int, stages):
    """ptx's graph of the net state Caffe builds, or None when ptx's graph fails."""
    try:
        return ptx.graph(phase, level, stages)
    except Exception:  # a ptx graph bug must not stop Caffe from judging the net
        return None


def _stand_ins(ptx, graph, included, given, plans, fallback, train_steps) -> List[StandIn]:
    layers = python_layers(ptx.net, included)
    if layers and train_steps:
        names = ", ".join(f"'{layer.name}' ({python_module(layer)})" for layer in layers)
        raise PtxError(f"--train-steps needs the real Python layers {names}: stand-ins would "
                       "stop the gradient there; give --trust-python-layers to import and run "
                       "their modules", ptx.path, *layer_position(ptx.doc, layers[0]))
    sized = dict(given)
    for plan in plans:
        for top, shape in plan.shapes:
            sized.setdefault(top, shape)
    return plan_stand_ins(ptx, ptx.path, layers, graph, sized, fallback)


def _fill(result: CheckResult, ptx, outcome, python_dir: str, stand_ins=()) -> None:
    data = outcome.result
    if "import_error" in data:
        raise CaffeUnavailable(_import_message(data, python_dir))
    if "error" in data:
        raise CaffeUnavailable(f"pycaffe failed: {_user_paths(data['error'], outcome, ptx.path)}")
    stood_in_tops = {top for plan in stand_ins for top, _ in plan.shapes}
    result.layers = [tuple(pair) for pair in data["layers"] if not pair[0].endswith(SILENCE_SUFFIX)]
    result.blobs = [(name, tuple(shape)) for name, shape in data["blobs"]]
    result.inputs = [name for name in data["inputs"] if name not in stood_in_tops]
    result.outputs = data["outputs"]
    result.params = {k: [tuple(s) for s in v] for k, v in data["params"].items()}
    if "changes" in data:
        result.training = judge_training(ptx.net, data["changes"], dict(result.layers),
                                         data.get("updates"))
        result.losses = data.get("losses", {})


def _import_message(data: dict, python_dir: str) -> str:
    import sys
    where = python_dir or "the current Python"
    missing = data.get("missing_module")
    if missing:
        top = missing.split(".")[0]
        package = _PIP_NAMES.get(top, top)
        return (f"pycaffe in {where} needs the Python module '{missing}', which {sys.executable} "
                f"cannot import: pip install {package} (or pip install 'prototxt-tools[caffe]')")
    return (f"pycaffe in {where} does not import ({data['import_error']}); "
            "rebuild it with tools/build-caffe.sh")


def _python_failure(ptx, outcome) -> Optional[Fatal]:
    """pycaffe raised while building a layer (a trusted Python layer's import or setup):
    the layer and the reason, at the layer's line; None when no layer was being set up."""
    name = layer_being_set_up(outcome.stderr)
    layer = next((x for x in ptx.net.layers if x.name == name), None)
    if layer is None:
        return None
    reason = python_exception(outcome.stderr) or outcome.result["error"]
    if layer.type == "Python":
        reason = f"Python layer '{name}' ({python_module(layer)}): {reason}"
    else:
        reason = f"layer '{name}': {reason}"
    return Fatal(_user_paths(reason, outcome, ptx.path), "", name, layer_position(ptx.doc, layer))


def _user_paths(text: str, outcome, path: str) -> str:
    return text.replace(os.path.join(outcome.workdir, "net.prototxt"), path)


def _rejection(ptx, outcome, phase: str, level: int = 0, stages=()) -> Fatal:
    fatal = fatal_line(outcome.stderr)
    if fatal is None:
        raise CaffeUnavailable(_crash_message(outcome))
    fatal.message = _user_paths(fatal.message, outcome, ptx.path)
    if fatal.position is None:
        names = [layer.name for layer in ptx.net.layers]
        fatal.layer = (named_layer(fatal.message, names)
                       or _layer_from_graph(ptx, fatal, phase, level, stages)
                       or _set_up_layer(outcome.stderr, names))
        layer = _layer_named(ptx, fatal.layer, phase, level, stages)
        if layer is not None:
            fatal.position = layer_position(ptx.doc, layer)
    return fatal


def _layer_named(ptx, name: Optional[str], phase: str, level: int, stages):
    """The user's layer of that name, the one in the net state when several share it."""
    layers = [x for x in ptx.net.layers if x.name == name] if name is not None else []
    if len(layers) > 1:
        graph = _graph(ptx, phase, level, stages)
        kept = {layer.index for layer in graph.layers()} if graph is not None else set()
        layers = [x for x in layers if x.index in kept] or layers
    return layers[0] if layers else None


def _set_up_layer(stderr: str, names) -> Optional[str]:
    """The user's layer Caffe was setting up when it aborted (a stand-in's Silence half is
    its Python layer; an auto-inserted split or an unnamed layer is nobody's)."""
    name = layer_being_set_up(stderr)
    if name and name.endswith(SILENCE_SUFFIX):
        name = name[:-len(SILENCE_SUFFIX)]
    return name if name and name in names else None


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
