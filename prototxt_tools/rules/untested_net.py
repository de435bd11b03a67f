"""The net has TEST-phase layers but the solver never tests it (or cannot).

## What it does
Reports a solver whose generic `net`/`net_param` has layers included only in TEST
while no `test_iter` is given (so Caffe creates no test net), and `test_iter`
without a positive `test_interval`.

## Why it matters
Without `test_iter`, Caffe builds no test net at all: the accuracy layers never run
and the log shows no test output, silently. With `test_iter` but no
`test_interval`, Caffe aborts: `Check failed: param_.test_interval() > 0 (0 vs. 0)`.

## Example
```prototxt
net: "train_val.prototxt"    # has include { phase: TEST } layers
max_iter: 10000
```

## Use instead
```prototxt
net: "train_val.prototxt"
test_iter: 100
test_interval: 1000
max_iter: 10000
```
"""
from __future__ import annotations

CODE = "PTX405"
NAME = "untested-net"
SEVERITY = "warning"
OPTIONS: dict = {}


def _has_test_layers(net) -> bool:
    return any(rule.phase == "TEST" for layer in net.layers for rule in layer.include)


def _generic_net(context, solver):
    if solver.net_param is not None:
        return solver.net_param
    if solver.net is None:
        return None
    loaded = context.load_referenced(solver.net.path)
    return loaded.net if loaded is not None and loaded.kind == "net" else None


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    testing = solver.test_iter or doc.has("test_net") or doc.has("test_net_param")
    if testing and doc.has("test_iter") and not (solver.get("test_interval") or 0) > 0:
        yield context.report(doc.get("test_iter"), (
            "Check failed: param_.test_interval() > 0 (0 vs. 0) -- set test_interval"),
            severity="error")
    if solver.test_iter:
        return
    net = _generic_net(context, solver)
    if net is not None and _has_test_layers(net):
        anchor = doc.get("net") or doc.get("net_param")
        yield context.report(anchor, (
            "the net has TEST-phase layers but the solver has no test_iter: Caffe builds no "
            "test net and never tests -- add test_iter and test_interval"))
