"""The solver's testing costs more than its training: `test_iter` x test batch per `test_interval`.

## What it does
Computes, per `test_interval`, the images tested (the sum over test nets of
`test_iter` x the TEST data layer's `batch_size`) and the images trained
(`test_interval` x the TRAIN batch x `iter_size`), from the solver and its nets,
and reports the solver when testing takes more images than training.

## Why it matters
Caffe says nothing; the run just takes twice as long or more. Usually `test_iter`
was written for a small test batch and the batch was raised, or `test_interval`
was lowered to watch the accuracy more often. `test_iter` x test batch should
cover the validation set once, and testing should be a small part of the run.

## Example
```prototxt
test_iter: 1000      # TEST batch 50: 50,000 images per test
test_interval: 100   # TRAIN batch 64: 6,400 images per interval
```

## Use instead
```prototxt
test_iter: 1000
test_interval: 1000  # 64,000 training images per test
```
"""
from __future__ import annotations

CODE = "PTX412"
NAME = "test-costs-more-than-training"
SEVERITY = "warning"
OPTIONS: dict = {}


def batch_size(graph):
    """The batch of the graph's first data layer with a ``batch_size``, or None."""
    for layer in graph.layers():
        for field in layer.body.fields:
            if field.name.endswith("data_param"):
                value = layer.typed(field.name).get("batch_size")
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    return value
    return None


def _graph(context, net, phase: str, state_node):
    from ..graph.build import build_graph
    from ..graph.state import solver_net_state
    from ..errors import PtxError
    try:
        return build_graph(net, solver_net_state(net, phase, state_node), context.path)
    except PtxError:
        return None


def _batches(context):
    """(train batch, [test batch per test net]) of the solver's nets; None where unknown."""
    from ..lint.runner import solver_nets
    train, tests = None, []
    for ref, inline, role in solver_nets(context.ptx_file):
        loaded = context.load_referenced(ref) if ref is not None else None
        net = inline if inline is not None else (loaded.net if loaded is not None and
                                                  loaded.kind == "net" else None)
        graph = _graph(context, net, role.role.upper(), role.state_node) if net is not None else None
        size = batch_size(graph) if graph is not None else None
        if role.role == "train":
            train = size
        else:
            tests.append(size)
    return train, tests


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    interval, iters = solver.get("test_interval") or 0, solver.test_iter
    if not interval or not iters:
        return
    train, tests = _batches(context)
    if train is None or len(tests) < len(iters) or any(t is None for t in tests[:len(iters)]):
        return
    iter_size = solver.get("iter_size") or 1
    tested = sum(n * batch for n, batch in zip(iters, tests))
    trained = interval * train * iter_size
    if tested > trained:
        yield context.report(context.ptx_file.doc.get("test_interval"), (
            f"every test_interval ({interval} iterations, {trained:,} training images) the "
            f"solver tests {tested:,} images (test_iter x TEST batch): testing costs more "
            f"than training -- raise test_interval or lower test_iter"))
