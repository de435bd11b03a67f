"""A convolution or pooling window larger than its padded input.

## What it does
With the inferred input shape, compares each spatial kernel extent
(`dilation*(k-1)+1`) with the padded input size (`H + 2*pad`).

## Why it matters
Caffe does not check this. Convolution truncates toward zero, so a kernel a little
larger than the input silently yields a 1-pixel output, and a much larger one dies in
`Blob::Reshape` (`Check failed: shape[i] >= 0`). Pooling (CEIL) can yield 0-size
blobs. Usually the input is smaller than the net was designed for.

## Example
```prototxt
input: "data" input_shape { dim: 1 dim: 3 dim: 5 dim: 5 }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        convolution_param { num_output: 8 kernel_size: 7 stride: 2 } }
```

## Use instead
```prototxt
input: "data" input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }
```
"""
from __future__ import annotations

from ..shapes.core import dims_text
from ._shapes import shape_results
from .base import layer_anchor

CODE = "PTX502"
NAME = "kernel-larger-than-input"
SEVERITY = "warning"
OPTIONS: dict = {}


def _windows(layer, bottom):
    """(axis, extent, padded size) per spatial axis of a Convolution/Pooling layer."""
    from ..shapes.conv import _geometry, _pool_sizes
    from ..shapes.core import canonical_axis
    if layer.type == "Pooling":
        if len(bottom) != 4:
            return []
        kernel, pad, _ = _pool_sizes(layer.typed("pooling_param"), bottom)
        return [(2 + i, kernel[i], bottom[2 + i] + 2 * pad[i]) for i in (0, 1)]
    p = layer.typed("convolution_param")
    axis = canonical_axis(int(p.get("axis") or 1), bottom)
    kernel, _, pad, dilation = _geometry(p, len(bottom) - axis - 1)
    return [(axis + 1 + i, dilation[i] * (k - 1) + 1, bottom[axis + 1 + i] + 2 * pad[i])
            for i, k in enumerate(kernel)]


def check(context, options):
    from ..shapes.core import ShapeError
    seen = set()
    for _state, result in shape_results(context):
        for entry in result.layers:
            layer = entry.layer
            if layer.type not in ("Convolution", "Pooling") or not entry.bottoms or entry.bottoms[0] is None:
                continue
            try:
                windows = _windows(layer, entry.bottoms[0])
            except (ShapeError, ValueError, IndexError, ZeroDivisionError):
                continue   # the setup check itself fails: PTX505 reports it
            too_large = [(axis, extent, padded) for axis, extent, padded in windows if extent > padded]
            if not too_large or (layer.index, tuple(too_large)) in seen:
                continue
            seen.add((layer.index, tuple(too_large)))
            axis, extent, padded = too_large[0]
            out = entry.tops[0] if entry.tops and entry.tops[0] is not None else None
            yield context.report(layer_anchor(layer), (
                f"{layer.type} window {extent} is larger than the padded input ({padded}) along "
                f"axis {axis} of {dims_text(entry.bottoms[0])}; output {dims_text(out) if out else 'invalid'}"))
