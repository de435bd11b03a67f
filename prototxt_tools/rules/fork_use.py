"""The net uses a known Caffe fork's layers or fields, which upstream Caffe cannot read.

## What it does
Matches unknown layer types and unknown fields or enum values against ptx's
catalogue of well-known forks (SSD, SegNet, PSPNet/DeepLab v2, Faster R-CNN, R-FCN,
caffe_ocr, CRNN, SphereFace, pooling `ceil_mode`, MobileNet depthwise convolution, CRF-RNN, HED,
NVIDIA Caffe, Intel Caffe) and reports ONE finding per fork per file, naming the fork and
counting each name it uses (`Normalize x1, Permute x12, PriorBox x6`). Every
occurrence is listed as a related location in JSON and SARIF output. These names
are not reported again as `unknown-layer-type` or `unknown-field`, and no upstream
type is suggested for a fork's type (`MarginInnerProduct` is not a misspelt
`InnerProduct`).  Names several forks share go to the fork explaining most of the
file's names; when other forks know every name used, the message names them too.

## Why it matters
Upstream Caffe refuses the file at the first fork field
(`Message type "caffe.LayerParameter" has no field named "norm_param".`) or
fork layer (`Unknown layer type: PriorBox`); the net needs the fork's build.
Reported use by use, one fork net gave hundreds of findings that hid its real
problems.

## Example
```prototxt
layer { name: "conv4_3_norm" type: "Normalize" bottom: "conv4_3" top: "conv4_3_norm"
        norm_param { across_spatial: false } }
```

## Use instead
Lint the net with the fork's schema: `ptx lint --fork ssd` (ptx bundles schemas
for `ssd`, `segnet`, `pspnet`, `faster-rcnn`, `rfcn`, `caffe-ocr`, `crnn`,
`sphereface`, `ceil-mode`, `nvcaffe`, `intel-caffe`), or `--schema path/to/fork/caffe.proto`; run it with the fork's
Caffe build.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

CODE = "PTX009"
NAME = "fork-use"
SEVERITY = "error"
OPTIONS: dict = {}


def _counts(uses) -> str:
    counts = Counter(u.name for u in uses)
    return ", ".join(f"{name} x{n}" for name, n in sorted(counts.items()))


def _advice(fork) -> str:
    if fork.bundled:
        return f"lint it with `--fork {fork.name}` (or `--schema` the fork's caffe.proto)"
    return ("lint it with `--schema` the fork's caffe.proto (or, when your build has these "
            "layers, list them in unknown-layer-type's `extra-types` option)")


def _also_in(fork, uses) -> str:
    """Other forks that know every name used (``resize_param`` is SSD's, Intel's and
    NVIDIA's): the attribution is the catalogue's first guess, and the message says so."""
    from ..forks import forks
    used = {u.subject for u in uses}
    others = [f.title for f in forks()
              if f.name != fork.name and used <= (f.layer_types | f.subjects)]
    return f" (also in {', '.join(others)})" if others else ""


def check(context, options):
    if context.ptx_file is None or context.net is not None:
        return  # a solver's inline net: its file's findings are the solver's
    from ..forks import get
    from ..forks.usage import fork_uses
    from .unknown_layer_type import known_types
    for name, uses in fork_uses(context, known_types(context)).items():
        fork = get(name)
        first = next((u for u in uses if u.subject != u.name), uses[0])  # parsing fails first
        what = "net" if context.kind == "net" else "file"
        message = (f"uses the {fork.title} fork ({fork.source}): {_counts(uses)}"
                   f"{_also_in(fork, uses)}: upstream "
                   f"Caffe cannot read this {what} (first: `{first.caffe_says}`) -- "
                   f"{_advice(fork)}, and run it with the fork's Caffe build")
        problem = context.report((uses[0].line, uses[0].col), message)
        yield replace(problem, related=tuple((u.line, u.col, u.name) for u in uses))
