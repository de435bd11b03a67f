"""A layer type Caffe's layer registry does not know.

## What it does
Checks every layer's type against the types BVLC Caffe registers (plus the
`extra-types` option). With `--schema fork/caffe.proto`, types implied by the
fork's `*_param` fields (`prior_box_param` -> `PriorBox`) count as known too, and
with `--fork NAME` the fork's layer types. Suggests the closest known type, unless
the name is built on it (`SeLuDropout`, `ReLU6`: a fork's layers, not typos).
Types of a catalogued fork (SSD's `PriorBox`, sphereface's `MarginInnerProduct`...)
are left to `fork-use` (PTX009): one finding per fork, and no upstream type is
suggested for them.

## Why it matters
Caffe aborts while creating the layer:
`Check failed: registry.count(type) == 1 (0 vs. 1) Unknown layer type: Convolutoin (known types: ...)`.
`Python` is registered only in builds with `WITH_PYTHON_LAYER := 1`; fork layers
(`PriorBox`, `ROIPooling`...) need the fork's build.

## Example
```prototxt
layer { name: "conv1" type: "Convolutoin" bottom: "data" top: "conv1" }
```

## Use instead
```prototxt
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" }
```
or, for a fork layer, lint with the fork's schema (`--schema`) or list the type in
`extra-types`.
"""
from __future__ import annotations

CODE = "PTX006"
NAME = "unknown-layer-type"
SEVERITY = "error"
OPTIONS = {"extra-types": (list, [])}

BVLC_TYPES = frozenset("""
AbsVal Accuracy ArgMax BNLL BatchNorm BatchReindex Bias Clip Concat ContrastiveLoss Convolution
Crop Data Deconvolution Dropout DummyData ELU Eltwise Embed EuclideanLoss Exp Filter Flatten
HDF5Data HDF5Output HingeLoss Im2col ImageData InfogainLoss InnerProduct Input LRN LSTM LSTMUnit
Log MVN MemoryData MultinomialLogisticLoss PReLU Parameter Pooling Power Python RNN ReLU
Reduction Reshape SPP Scale Sigmoid SigmoidCrossEntropyLoss Silence Slice Softmax
SoftmaxWithLoss Split Swish TanH Threshold Tile WindowData""".split())


def _squash(name: str) -> str:
    return name.replace("_", "").lower()


def _schema_types(context) -> frozenset:
    """Squashed type names a fork schema implies through its ``<type>_param`` fields."""
    if not context.options.schema or context.ptx_file is None:
        return frozenset()
    layer = context.ptx_file.schema.message("caffe.LayerParameter")
    names = layer.fields if layer is not None else ()
    return frozenset(_squash(n[:-len("_param")]) for n in names if n.endswith("_param"))


def known_types(context, extra=()) -> frozenset:
    """Layer types that are not unknown in this lint run: BVLC's, ``extra``, the selected
    fork's (``--fork``) and those a ``--schema`` implies (matched squashed, see below)."""
    from ..forks.usage import selected
    fork = selected(context.options.fork)
    known = (BVLC_TYPES | frozenset(extra) | frozenset(context.extra_types)
             | (fork.layer_types if fork else frozenset()))
    implied = _schema_types(context)
    from ..forks.usage import file_layers
    present = {layer.type for layer in file_layers(context)}
    return known | frozenset(t for t in present if t and _squash(t) in implied)


def check(context, options):
    net = context.the_net
    if net is None:
        return
    from ..forks.usage import claims_type
    known = known_types(context, options["extra-types"])
    for layer in net.layers:
        kind = layer.type
        if not kind or kind in known or claims_type(kind):
            continue
        if layer.format == "v0" and kind == "padding":   # folded into the next conv by the V0 upgrade
            continue
        field = layer.body.get("type")
        node = field.value if field is not None else layer.node
        hint = _hint(kind, known)
        yield context.report(node, f"Unknown layer type: {kind} (layer '{layer.name}'){hint}"
                                   f" -- fork layers need the fork's Caffe build and "
                                   f"`--schema` (or the `extra-types` option)")


def _hint(kind: str, known) -> str:
    """The closest known type, unless the name is built on it: ``SeLuDropout``,
    ``ConvolutionDepthwise``, ``ReLU6`` are a fork's new layers, not misspellings of
    ``Dropout``/``Convolution``/``ReLU`` (``Relus`` still is)."""
    from ..schema.values import did_you_mean
    hint = did_you_mean(kind, sorted(known))
    suggested = hint.split('"')[1].lower() if hint else ""
    rest = kind.lower().replace(suggested, "", 1) if suggested in kind.lower() else ""
    built_on = len(rest) >= 2 or any(c.isdigit() for c in rest)
    return "" if built_on else hint
