"""With `--weights`, a stored layer is ignored while a net layer of exactly its shapes starts from its filler.

## What it does
Previews Caffe's weight copy (as `ptx show --weights` does) and pairs every
stored layer Caffe ignores (no net layer has its name) with the net's layers
that start from their fillers (not in the weights) and whose parameter blobs have
exactly the stored layer's shapes.

## Why it matters
Caffe copies weights by layer name and says only `Ignoring source layer fc8` in
its log. A layer renamed by mistake (`fc8` in the weights, `fc8-1` in the net)
starts from its filler, often constant zero: the model trains from scratch
where it should fine-tune, or a deploy net scores zero. When the rename is on
purpose (a new head of the same class count, trained afresh), ignore this finding.

## Example
```prototxt
# the caffemodel stores fc8 (1000x4096, 1000)
layer { name: "fc8-1" type: "InnerProduct" bottom: "fc7" top: "fc8"
        inner_product_param { num_output: 1000 } }
```

## Use instead
```prototxt
layer { name: "fc8" type: "InnerProduct" bottom: "fc7" top: "fc8"
        inner_product_param { num_output: 1000 } }
```
"""
from __future__ import annotations

from ._shapes import shape_results
from .base import layer_anchor

CODE = "PTX508"
NAME = "weights-renamed-layer"
SEVERITY = "warning"
OPTIONS: dict = {}


def _same_shapes(shapes, blobs) -> bool:
    from ..weights.preview import shape_equals
    return len(shapes) == len(blobs) and all(shape_equals(s, b) for s, b in zip(shapes, blobs))


def _ignored_sources(preview, scans) -> list:
    from ..weights.preview import IGNORED
    names = [o.layer for o in preview.outcomes if o.status == IGNORED]
    return [source for name in names for scan in scans
            for source in [scan.layer(name)] if source is not None]


def check(context, options):
    if not context.options.weights:
        return
    from ..errors import PtxError
    from ..shapes.core import shape_string
    from ..weights import preview_copy, targets_from_shapes
    from ..weights.preview import FILLER
    try:
        scans = context.options.weight_scans()
    except PtxError:
        return
    seen = set()
    for _state, result in shape_results(context):
        targets = targets_from_shapes(result)
        shapes_of = {layer.index: shapes for layer, shapes, _n in targets}
        preview = preview_copy(targets, scans)
        ignored = _ignored_sources(preview, scans)
        for outcome in preview.outcomes:
            shapes = shapes_of.get(outcome.target_layer.index) if outcome.target_layer else None
            if outcome.status != FILLER or not shapes or outcome.target_layer.index in seen:
                continue
            match = next((s for s in ignored if _same_shapes(shapes, s.blobs)), None)
            if match is None:
                continue
            seen.add(outcome.target_layer.index)
            layer = outcome.target_layer
            blobs = ", ".join(shape_string(s) for s in shapes)
            yield context.report(layer_anchor(layer), (
                f"layer '{layer.name}' starts from its filler, while the weights hold layer "
                f"'{match.name}' of exactly its shapes ({blobs}) that Caffe ignores "
                f"(`Ignoring source layer {match.name}`, nothing else is said) -- rename "
                f"'{layer.name}' to '{match.name}' to load them, unless it is new on purpose"))
