"""The training labels do not run 0, 1, ..., N-1.

## What it does
Reads the label list of each ImageData layer feeding a loss (resolved against
`--root`, size-capped, never executed) and reports labels that do not start at 0,
negative labels, or class numbers that never occur.

## Why it matters
Caffe's losses expect labels in `{0, ..., C-1}`; 1-based labels waste output 0 and
push the last class past `num_output`; gaps train outputs no image ever asks for,
and usually mean two lists were numbered differently.

## Example
```text
img/cat_001.jpg 1
img/dog_001.jpg 2
```

## Use instead
```text
img/cat_001.jpg 0
img/dog_001.jpg 1
```
"""
from __future__ import annotations

from ._classes import ignore_label, label_source, list_labels

CODE = "PTX302"
NAME = "label-gaps"
SEVERITY = "warning"
OPTIONS: dict = {}


def _describe(labels) -> str:
    present = sorted(set(labels))
    if present[0] < 0:
        return f"negative label {present[0]}"
    if present[0] != 0:
        return f"labels start at {present[0]}, not 0"
    missing = sorted(set(range(present[-1] + 1)) - set(present))
    if missing:
        shown = ", ".join(str(m) for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        return f"labels {shown} never occur (0..{present[-1]})"
    return ""


def check(context, options):
    seen = set()
    for _state, graph in context.graphs():
        for loss in graph.loss_layers():
            data = label_source(graph, loss) if len(loss.bottoms) > 1 else None
            if data is None or data.index in seen:
                continue
            seen.add(data.index)
            ignored = ignore_label(loss)
            labels = [x for x in list_labels(context, data) or () if x != ignored]
            problem = _describe(labels) if labels else ""
            if problem:
                node = data.node.message("image_data_param").get("source")
                yield context.report(node, f"{problem} in the list of ImageData '{data.name}' -- "
                                           f"number the classes 0..N-1")
