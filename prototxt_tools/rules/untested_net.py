"""The net has TEST-phase layers but the solver never tests it (or cannot).

## What it does
Reports a solver whose generic `net`/`net_param` has layers included only in TEST
while no `test_iter` is given (so Caffe creates no test net), `test_iter`
without a positive `test_interval`, and `test_net`/`test_net_param` entries
without one `test_iter` each.

## Why it matters
Without `test_iter`, Caffe builds no test net at all: the accuracy layers never run
and the log shows no test output, silently. With `test_iter` but no
`test_interval`, Caffe aborts: `Check failed: param_.test_interval() > 0 (0 vs. 0)`.
Each `test_net` needs its own `test_iter`, or Caffe aborts at start-up:
`Check failed: param_.test_iter_size() == num_test_nets (0 vs. 1) test_iter must be
specified for each test network.`

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


def _test_iter_count(doc):
    """Caffe's InitTestNets check: one test_iter per test_net/test_net_param (at least
    that many when a generic net/net_param may take the rest)."""
    nets = len(doc.get_all("test_net")) + len(doc.get_all("test_net_param"))
    iters = len(doc.values("test_iter"))
    generic = doc.has("net") or doc.has("net_param")
    if not (generic or doc.has("train_net") or doc.has("train_net_param")):
        return ""  # no train net at all: PTX401's finding, Caffe stops before this check
    if (iters < nets) if generic else (iters != nets):
        op = ">=" if generic else "=="
        return (f"Check failed: param_.test_iter_size() {op} num_test_nets ({iters} vs. {nets}) "
                "test_iter must be specified for each test network. -- give one test_iter per "
                "test net (test_net, test_net_param), and none beyond them without a net/net_param")
    return ""


def check(context, options):
    solver = context.solver
    if solver is None:
        return
    doc = context.ptx_file.doc
    count_problem = _test_iter_count(doc)
    if count_problem:
        anchor = (doc.get_all("test_net") or doc.get_all("test_net_param")
                  or doc.get_all("test_iter"))[0]
        yield context.report(anchor, count_problem, severity="error")
    testing = solver.test_iter or doc.has("test_net") or doc.has("test_net_param")
    if testing and doc.has("test_iter") and not (solver.get("test_interval") or 0) > 0:
        yield context.report(doc.get_all("test_iter")[0], (
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
