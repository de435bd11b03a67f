"""Weights that Caffe cannot copy into the net (`--weights`): blob count or shape mismatch.

## What it does
Predicts `Net::CopyTrainedLayersFrom` for the caffemodel given with `--weights`:
layers are matched by name (first match), blob counts must be equal, and each
blob must pass `ShapeEquals` (legacy 4-D blobs compared right-aligned). For an
InnerProduct whose output count is unchanged, it says that the input size differs.

## Why it matters
`caffe train -weights` dies at start-up: `Cannot copy param 0 weights from layer 'fc8';
shape mismatch.  Source param shape is 1000 4096 (4096000); target param shape is 20 4096
(81920). To learn this layer's parameters from scratch rather than copying from a saved
net, rename the layer.` -- the classic "changed num_output but kept the name".

## Example
```prototxt
layer { name: "fc8" type: "InnerProduct" bottom: "fc7" top: "fc8"
        inner_product_param { num_output: 20 } }     # the weights have 1000 outputs
```

## Use instead
```prototxt
layer { name: "fc8_new" type: "InnerProduct" bottom: "fc7" top: "fc8_new"
        inner_product_param { num_output: 20 } }
```
"""
from __future__ import annotations

from ._shapes import shape_results, with_hint
from .base import layer_anchor

CODE = "PTX506"
NAME = "weight-copy-failure"
SEVERITY = "error"
OPTIONS: dict = {}


def _hint(outcome, source_shapes) -> str:
    layer = outcome.target_layer
    if outcome.status == "blob-count":
        return "check bias_term, or rename the layer to start it from its fillers"
    if layer.type == "InnerProduct" and outcome.blob_index == 0 and source_shapes:
        source = source_shapes[0]
        n_out = source[-2] if len(source) >= 2 else None
        if n_out is not None and str(layer.typed("inner_product_param").get("num_output")) == str(n_out):
            return ("same number of outputs: the input size differs (Caffe: Input size incompatible "
                    "with inner product parameters); check the input resolution upstream")
    return f"rename layer '{layer.name}' to train it from scratch"


def check(context, options):
    if not context.options.weights:
        return
    from ..errors import PtxError
    from ..weights import preview_copy, targets_from_shapes
    try:
        scans = context.options.weight_scans()
    except PtxError:
        return   # lint_files refuses unreadable weights before any rule runs
    seen = set()
    for _state, result in shape_results(context):
        for outcome in preview_copy(targets_from_shapes(result), scans).failures:
            key = (outcome.target_layer.index, outcome.message)
            if key in seen:
                continue
            seen.add(key)
            source = next((s.layer(outcome.layer) for s in scans if s.layer(outcome.layer)), None)
            shapes = source.blob_shapes if source is not None else []
            yield context.report(layer_anchor(outcome.target_layer),
                                 with_hint(outcome.message, _hint(outcome, shapes)))
