"""The classifier's `num_output` does not match the number of classes.

## What it does
Finds the layer feeding each SoftmaxWithLoss (through in-place layers) and
compares its `num_output` with the class count: `--num-classes N`, the classes
in `--labels FILE` (a `path label` list gives max+1, a names file its line
count), or the labels of the ImageData list feeding the loss (resolved against
`--root`). Labels equal to the loss's `ignore_label` are left out.

## Why it matters
Release builds of Caffe do not check labels (`DCHECK` only; debug builds print
`Check failed: label_value < num_labels (11 vs. 11)`): a label >= num_output reads
past the probability row, giving garbage or NaN losses (often stuck at 87.3365).
A num_output larger than the class count trains outputs no label uses: usually a
fine-tuned head that kept the original 1000.

## Example
```prototxt
layer { name: "fc8_flickr" type: "InnerProduct" bottom: "fc7" top: "fc8_flickr"
        inner_product_param { num_output: 1000 } }   # the list has 20 classes
```

## Use instead
```prototxt
        inner_product_param { num_output: 20 }
```
"""
from __future__ import annotations

from ._classes import classifiers, ignore_label, label_source, list_labels, num_output

CODE = "PTX301"
NAME = "num-output-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}


def _declared(context):
    """(class count, where it comes from) from the command line, or (None, None)."""
    if context.options.num_classes:
        return context.options.num_classes, "--num-classes"
    if context.options.labels:
        from ..lint.context import LABELS_MAX_BYTES
        from ..lint.labels import class_names
        count = class_names(context.options.labels, LABELS_MAX_BYTES)
        return count, f"--labels {context.options.labels}"
    return None, None


def _num_output_node(layer):
    for field in ("inner_product_param", "convolution_param"):
        block = layer.node.message(field)
        if block is not None and block.get("num_output") is not None:
            return block.get("num_output")
    return layer.node


def check(context, options):
    declared, where = _declared(context)
    seen = set()
    for _state, graph in context.graphs():
        for loss, layer in classifiers(graph):
            if layer.index in seen:
                continue
            seen.add(layer.index)
            outputs = num_output(layer)
            count, origin, exact = declared, where, True
            if count is None:
                labels = list_labels(context, label_source(graph, loss))
                ignored = ignore_label(loss)
                labels = [x for x in labels or () if x != ignored]
                if not labels:
                    continue
                count = max(labels) + 1
                origin, exact = f"its ImageData list (labels up to {count - 1})", False
            if count == outputs:
                continue
            node = _num_output_node(layer)
            if count > outputs:
                yield context.report(node, (
                    f"classifier '{layer.name}' has num_output {outputs} but {origin} has "
                    f"{count} classes: labels >= {outputs} are out of range (Caffe checks them "
                    f"only in debug builds: `Check failed: label_value < num_labels`) and the "
                    f"loss becomes garbage -- set num_output: {count}"))
            elif exact or outputs > count:
                yield context.report(node, (
                    f"classifier '{layer.name}' has num_output {outputs} but {origin} has "
                    f"{count} classes -- set num_output: {count} (and rename the layer so "
                    f"pretrained weights are not copied into it)"),
                    severity="error" if exact else "warning")
