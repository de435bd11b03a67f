"""Runs inside the child process that hosts real Caffe (``python child.py WORKDIR``).

A failed Caffe CHECK calls abort(), so Caffe never runs in ptx's own process.
This script is self-contained (stdlib, numpy, pycaffe only): it reads
``WORKDIR/job.json``, does the job and writes ``WORKDIR/result.json``.  When
Caffe aborts, no result is written and the parent reads Caffe's fatal line
from stderr instead.  Everything it creates lives in WORKDIR, which the
parent deletes on every path.
"""
import json
import os
import sys


def _write(workdir, payload):
    tmp = os.path.join(workdir, "result.json.tmp")
    with open(tmp, "w") as fh:
        json.dump(payload, fh)
    os.replace(tmp, os.path.join(workdir, "result.json"))


def _describe(net):
    layers = [[name, layer.type] for name, layer in zip(net._layer_names, net.layers)]
    return {
        "layers": layers,
        "blobs": [[name, list(blob.data.shape)] for name, blob in net.blobs.items()],
        "inputs": list(net.inputs),
        "outputs": list(net.outputs),
        "params": {name: [list(b.data.shape) for b in blobs] for name, blobs in net.params.items()},
    }


def _state_text(job):
    fields = ["level: %d" % job.get("level", 0)]
    fields += ["stage: %s" % json.dumps(stage) for stage in job.get("stages") or []]
    return "train_state { %s }" % " ".join(fields)


def _solver_text(net_file, steps, job=None):
    return "\n".join([
        'train_net: "%s"' % net_file, _state_text(job or {}), "base_lr: 0.01", 'lr_policy: "fixed"', "momentum: 0",
        "weight_decay: 0", "display: 0", "max_iter: %d" % steps, "random_seed: 1",
        "snapshot_after_train: false", "solver_mode: CPU", ""])


def _train(caffe, np, job, workdir):
    solver_file = os.path.join(workdir, "solver.prototxt")
    with open(solver_file, "w") as fh:
        fh.write(_solver_text(job["net"], job["train_steps"], job))
    solver = caffe.get_solver(solver_file)
    net = solver.net
    if job.get("weights"):  # the steps start from the user's weights, as fine-tuning does
        net.copy_from(job["weights"])
    rng = np.random.RandomState(0)
    labels = set(job.get("labels", []))
    for name in net.inputs:
        blob = net.blobs[name].data
        blob[...] = 0 if name in labels else rng.standard_normal(blob.shape)
    before = {name: [b.data.copy() for b in blobs] for name, blobs in net.params.items()}
    solver.step(job["train_steps"])
    changes, updates = {}, {}
    for name, blobs in net.params.items():
        changes[name] = [float(np.max(np.abs(b.data - old))) if b.data.size else 0.0
                         for b, old in zip(blobs, before[name])]
        # the last step's update (Caffe leaves it in diff): nonzero even when float32
        # rounding swallowed it in data (a tiny gradient on a large weight)
        updates[name] = [float(np.max(np.abs(b.diff))) if b.diff.size else 0.0 for b in blobs]
    losses = {name: float(np.asarray(net.blobs[name].data).sum()) for name in net.outputs}
    result = _describe(net)
    result.update(changes=changes, updates=updates, losses=losses,
                  weights_loaded=bool(job.get("weights")))
    return result


def _run(job, workdir):
    import numpy as np
    import caffe
    caffe.set_mode_cpu()
    if job.get("train_steps"):
        return _train(caffe, np, job, workdir)
    phase = caffe.TEST if job.get("phase") == "TEST" else caffe.TRAIN
    net = _net(caffe, job, phase)
    result = _describe(net)
    if job.get("weights"):
        net.copy_from(job["weights"])
        result["weights_loaded"] = True
    if job.get("save_weights"):
        net.save(job["save_weights"])
    return result


def _net(caffe, job, phase):
    """caffe.Net at the job's net state; a pycaffe older than net states (before 2016: the
    caffe-fast-rcnn and SegNet forks) takes only (file, phase), enough for the default state."""
    level, stages = job.get("level", 0), list(job.get("stages") or [])
    try:
        return caffe.Net(job["net"], phase, level=level, stages=stages)
    except Exception as exc:
        if type(exc).__name__ != "ArgumentError":  # Boost.Python: no such signature
            raise
    if level or stages:
        raise RuntimeError("this pycaffe's caffe.Net takes no level or stages (an older Caffe); "
                           "check the net at the default state")
    return caffe.Net(job["net"], phase)


def _identify(caffe, workdir):
    """Which Caffe this is (written before the job: a Caffe abort must not hide it)."""
    try:
        types = list(caffe.layer_type_list())
    except Exception:  # a pycaffe too old or too trimmed to list them
        types = None
    payload = {"pycaffe": os.path.dirname(os.path.abspath(caffe.__file__)), "types": types}
    with open(os.path.join(workdir, "caffe.json"), "w") as fh:
        json.dump(payload, fh)


def _import_failure(exc):
    failure = {"import_error": "%s: %s" % (type(exc).__name__, exc)}
    missing = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
    if missing and missing.split(".")[0] != "caffe":  # a Python package pycaffe needs
        failure["missing_module"] = missing
    return failure


def main(workdir):
    with open(os.path.join(workdir, "job.json")) as fh:
        job = json.load(fh)
    try:
        import caffe  # noqa: F401  (only to tell "no pycaffe" from a Caffe failure)
    except Exception as exc:  # any import failure: missing .so, bad protobuf, no six...
        _write(workdir, _import_failure(exc))
        return 0
    _identify(caffe, workdir)
    try:
        result = _run(job, workdir)
    except Exception as exc:  # pycaffe raises for a few errors instead of aborting
        _write(workdir, {"error": "%s: %s" % (type(exc).__name__, exc)})
        return 0
    _write(workdir, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
