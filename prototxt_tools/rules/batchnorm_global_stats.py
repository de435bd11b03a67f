"""BatchNorm `use_global_stats` set against its phase: `false` where the net is tested or
deployed, `true` in a net trained from scratch.

## What it does
Reports a BatchNorm layer whose `batch_norm_param` writes
- `use_global_stats: false` while the layer is built in the TEST phase (a test
  net, a deploy net, or a train_val layer without phase rules);
- `use_global_stats: true` while the layer trains in a net that starts from
  scratch (no `--weights`, no `weights:` in the solver, no frozen neighbour).

The safe fix deletes the `false`: Caffe's default is `false` in TRAIN and `true`
in TEST, exactly what each phase needs, so TRAIN is unchanged. The unsafe fix
deletes the `true` (the layer then learns its statistics in TRAIN).

## Why it matters
Caffe says nothing. With `false` in TEST, each prediction is normalised with the
statistics of its own test batch: accuracy depends on the batch size and on what
else is in the batch, and a deploy net with batch 1 gives garbage. With `true`
from scratch, the layer normalises with its stored statistics, which start at zero
(variance 0: outputs scaled by 1/sqrt(eps), about 316): the loss explodes to NaN
or sticks at 87.3365.

## Example
```prototxt
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1"
        batch_norm_param { use_global_stats: false } }
```

## Use instead
```prototxt
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
```
(or one layer per phase, `false` in TRAIN and `true` in TEST).
"""
from __future__ import annotations

from ..edits.fields import remove_field
from .base import Fix, layer_anchor

CODE = "PTX210"
NAME = "batchnorm-global-stats"
SEVERITY = "warning"
OPTIONS: dict = {}


def _written(layer):
    """The ``use_global_stats`` field node and its value, or (None, None)."""
    block = layer.node.message("batch_norm_param") if layer.format == "v2" else None
    if block is None or not block.has("use_global_stats"):
        return None, None
    return block.get("use_global_stats"), layer.typed("batch_norm_param").get("use_global_stats")


def _in_phase(net, layer, phase: str) -> bool:
    from ..graph.state import layer_included, net_state
    return layer_included(layer, net_state(net, phase))


def _frozen_neighbour(net, layer) -> bool:
    """A layer around it with lr_mult 0 everywhere: the net is fine-tuned from weights."""
    index = net.layers.index(layer)
    near = net.layers[max(0, index - 1):index + 2]
    return any(other.params and all(s.is_set("lr_mult") and s.lr_mult == 0.0 for s in other.params)
               for other in near if other is not layer and other.type != "BatchNorm")


def _trains(context) -> bool:
    graph = context.graph("TRAIN")
    return graph is not None and bool(graph.loss_layers()) and \
        (context.role is None or context.role.role == "train")


def check(context, options):
    net = context.the_net
    if net is None:
        return
    from_scratch = not context.fine_tuning and _trains(context)
    tested = context.role is None or context.role.role == "test"
    in_test, in_train = [], []
    for layer in net.layers:
        field, value = _written(layer) if layer.type == "BatchNorm" else (None, None)
        if value is False and tested and _in_phase(net, layer, "TEST"):
            in_test.append((layer, field))
        elif value is True and from_scratch and _in_phase(net, layer, "TRAIN") and \
                not _frozen_neighbour(net, layer):
            in_train.append((layer, field))
    if in_test:
        yield _finding(context, in_test, "false", (
            "while built in TEST: predictions are normalised with each test batch's own statistics "
            "and change with the batch -- delete it (Caffe's default is false in TRAIN, true "
            "in TEST)"), safe=True)
    if in_train:
        yield _finding(context, in_train, "true", (
            "in a net trained from scratch: it normalises with stored statistics that start at "
            "zero and never learns them (the loss explodes) -- delete it, or fine-tune with "
            "--weights"), safe=False)


def _finding(context, found, value: str, why: str, safe: bool):
    """One finding per net and kind, every layer related, one fix deleting every field."""
    from dataclasses import replace
    names = ", ".join(f"'{layer.name}'" for layer, _ in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    subject = (f"BatchNorm {names} has" if len(found) == 1
               else f"{len(found)} BatchNorm layers ({names}{more}) have")
    fix = Fix(f"delete use_global_stats: {value} ({len(found)} layer{'s' if len(found) > 1 else ''})",
              tuple(remove_field(field) for _, field in found), safe=safe)
    problem = context.report(layer_anchor(found[0][0]),
                             f"{subject} use_global_stats: {value} {why}", fix=fix)
    return replace(problem, related=tuple((*layer_anchor(layer).position, f"'{layer.name}'")
                                          for layer, _ in found))
