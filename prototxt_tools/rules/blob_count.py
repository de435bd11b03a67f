"""A layer has the wrong number of bottoms or tops for its type.

## What it does
Checks bottom and top counts against what each BVLC layer type declares
(`ExactNumBottomBlobs`, `MinTopBlobs`...). Loss layers may omit their top
(Caffe creates it). Types with no fixed counts (Python, forks) are skipped.

## Why it matters
Caffe aborts at layer setup, e.g.
`Check failed: ExactNumBottomBlobs() == bottom.size() (2 vs. 3) SoftmaxWithLoss Layer takes 2 bottom blob(s) as input.`

## Example
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" top: "loss" }
```

## Use instead
```prototxt
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc8" bottom: "label" top: "loss" }
```
"""
from __future__ import annotations

from .base import layer_anchor

CODE = "PTX106"
NAME = "blob-count"
SEVERITY = "error"
OPTIONS: dict = {}

N = None  # unbounded
# type -> (min bottoms, max bottoms, min tops, max tops)
_ONE_TO_ONE = ("InnerProduct Embed Flatten Reshape Softmax LRN MVN BatchNorm ArgMax Im2col SPP "
               "Tile Reduction ReLU PReLU Sigmoid TanH Dropout Power AbsVal BNLL ELU Exp Log "
               "Threshold Clip Swish").split()
COUNTS = {t: (1, 1, 1, 1) for t in _ONE_TO_ONE}
COUNTS.update({
    "Convolution": (1, N, 1, N), "Deconvolution": (1, N, 1, N), "Pooling": (1, 1, 1, 2),
    "Concat": (1, N, 1, 1), "Eltwise": (2, N, 1, 1), "Slice": (1, 1, 1, N), "Split": (1, 1, 1, N),
    "Crop": (2, 2, 1, 1), "BatchReindex": (2, 2, 1, 1), "Scale": (1, 2, 1, 1), "Bias": (1, 2, 1, 1),
    "Accuracy": (2, 2, 1, 2), "Data": (0, 0, 1, 2), "ImageData": (0, 0, 2, 2),
    "MemoryData": (0, 0, 2, 2), "WindowData": (0, 0, 2, 2), "Input": (0, 0, 1, N),
    "DummyData": (0, 0, 1, N), "HDF5Data": (0, 0, 1, N), "Parameter": (0, 0, 1, 1),
    "Silence": (1, N, 0, 0), "HDF5Output": (2, 2, 0, 0), "Filter": (2, N, 1, N),
    "LSTMUnit": (3, 3, 2, 2),
    "SoftmaxWithLoss": (2, 2, 1, 2), "InfogainLoss": (2, 3, 1, 2), "ContrastiveLoss": (3, 3, 1, 1),
    "EuclideanLoss": (2, 2, 1, 1), "HingeLoss": (2, 2, 1, 1), "SigmoidCrossEntropyLoss": (2, 2, 1, 1),
    "MultinomialLogisticLoss": (2, 2, 1, 1),
})
AUTO_TOP = frozenset(t for t in COUNTS if t.endswith("Loss"))
_CHECK_NAMES = {"bottom": ("ExactNumBottomBlobs()", "MinBottomBlobs()", "MaxBottomBlobs()",
                           "bottom.size()"),
                "top": ("ExactNumTopBlobs()", "MinTopBlobs()", "MaxTopBlobs()", "top.size()")}


def _message(kind: str, which: str, low, high, count: int) -> str:
    exact, low_name, high_name, size = _CHECK_NAMES[which]
    verb = f"takes {{}} {which} blob(s) as input." if which == "bottom" \
        else f"produces {{}} {which} blob(s) as output."
    if low == high:
        return f"Check failed: {exact} == {size} ({low} vs. {count}) {kind} Layer " + verb.format(low)
    if low is not None and count < low:
        return (f"Check failed: {low_name} <= {size} ({low} vs. {count}) {kind} Layer "
                + verb.format(f"at least {low}"))
    return (f"Check failed: {high_name} >= {size} ({high} vs. {count}) {kind} Layer "
            + verb.format(f"at most {high}"))


def _bad(low, high, count: int) -> bool:
    return (low is not None and count < low) or (high is not None and count > high)


def check(context, options):
    net = context.the_net
    if net is None:
        return
    for layer in net.layers:
        kind = layer.type
        if kind not in COUNTS:
            continue
        min_b, max_b, min_t, max_t = COUNTS[kind]
        bottoms, tops = len(layer.bottoms), len(layer.tops)
        if kind in AUTO_TOP and tops == 0:
            tops = min_t
        if _bad(min_b, max_b, bottoms):
            yield context.report(layer_anchor(layer), _message(kind, "bottom", min_b, max_b, bottoms))
        elif _bad(min_t, max_t, tops):
            yield context.report(layer_anchor(layer), _message(kind, "top", min_t, max_t, tops))
        elif kind in ("Convolution", "Deconvolution") and bottoms != tops:
            yield context.report(layer_anchor(layer), (
                f"Check failed: bottom.size() == top.size() ({bottoms} vs. {tops}) {kind} Layer "
                f"produces one top blob as output for each bottom blob input."))
