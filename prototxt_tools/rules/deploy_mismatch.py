"""A deploy net and the training net beside it disagree on a layer they both have.

## What it does
For a deploy file (`deploy` in its name) with a training net beside it
(`X_deploy.prototxt` -> `X_train_val.prototxt`, `trainval`, `train_test`, `train`,
or `train_val.prototxt` in the same folder), compares every layer both nets
have (by name): the type, the number of learnable blobs (`bias_term`), and the
shape of each learnable blob, inferred from both nets' shapes; where a shape
cannot be inferred, the fields that decide it (`num_output`, kernel, `group`,
`input_dim`).

## Why it matters
The deploy net is run with the trained weights, which Caffe copies by layer
name. A layer that differs stops the copy:
`Cannot copy param 0 weights from layer 'fc8'; shape mismatch.  Source param shape is 20 4096 (81920); target param shape is 1000 4096 (4096000).`
or `Incompatible number of blobs for layer conv1` (a `bias_term` given in one
file only). Usually one file was edited (a new class count, a bias removed)
and the other was forgotten.

## Example
```prototxt
# train_val.prototxt
layer { name: "fc8" type: "InnerProduct" bottom: "fc7" top: "fc8" inner_product_param { num_output: 20 } }
# deploy.prototxt
layer { name: "fc8" type: "InnerProduct" bottom: "fc7" top: "fc8" inner_product_param { num_output: 1000 } }
```

## Use instead
The same parameters in both files (`num_output: 20` in the deploy net too).
"""
from __future__ import annotations

import os

from .base import layer_anchor

CODE = "PTX701"
NAME = "deploy-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}

# Fields that decide a learnable layer's parameter shapes, per type (fallback when the
# shapes cannot be inferred): the *_param block and its fields.
SHAPE_FIELDS = {
    "Convolution": ("convolution_param", ("num_output", "kernel_size", "kernel_h", "kernel_w",
                                          "group", "bias_term")),
    "Deconvolution": ("convolution_param", ("num_output", "kernel_size", "kernel_h", "kernel_w",
                                            "group", "bias_term")),
    "InnerProduct": ("inner_product_param", ("num_output", "bias_term", "axis")),
    "Embed": ("embed_param", ("num_output", "input_dim", "bias_term")),
    "Scale": ("scale_param", ("bias_term",)),
}


def _params_by_name(graph, result) -> dict:
    """Layer name -> (layer, inferred parameter shapes or None), first layer of each name."""
    out = {}
    for layer in graph.layers():
        if layer.name in out:
            continue
        entry = result.of(layer) if result is not None else None
        shapes = entry.params if entry is not None and entry.status == "ok" else None
        out[layer.name] = (layer, [tuple(s) for s in shapes] if shapes is not None else None)
    return out


def _field_difference(mine, theirs) -> str:
    block, names = SHAPE_FIELDS.get(mine.type, ("", ()))
    for name in names:
        here, there = mine.typed(block).get(name), theirs.typed(block).get(name)
        if str(here) != str(there):
            return f"{block}.{name} is {here} here, {there} there"
    return ""


def _difference(mine, my_shapes, theirs, their_shapes) -> str:
    """What differs, quoting Caffe where the weight copy would stop; '' when they agree."""
    from ..net.blobs import learnable_blob_count
    from ..shapes.core import shape_string
    from ..weights.preview import RENAME_HINT
    mine_count, their_count = learnable_blob_count(mine), learnable_blob_count(theirs)
    if mine_count == 0 and their_count == 0:
        return ""   # nothing to copy: a Data layer 'data' here may be an Input there
    if mine.type != theirs.type:
        return f"type {mine.type} here, {theirs.type} there"
    if my_shapes is not None and their_shapes is not None:
        if len(my_shapes) != len(their_shapes):
            return (f"{len(my_shapes)} learnable blobs here, {len(their_shapes)} there (Caffe: "
                    f"`Incompatible number of blobs for layer {mine.name}`)")
        for j, (here, there) in enumerate(zip(my_shapes, their_shapes)):
            if here != there:
                return (f"Cannot copy param {j} weights from layer '{mine.name}'; shape mismatch."
                        f"  Source param shape is {shape_string(there)}; target param shape is "
                        f"{shape_string(here)}. {RENAME_HINT}")
        return ""
    if mine_count is not None and their_count is not None and mine_count != their_count:
        return (f"{mine_count} learnable blobs here, {their_count} there (Caffe: "
                f"`Incompatible number of blobs for layer {mine.name}`)")
    return _field_difference(mine, theirs)


def check(context, options):
    from ..lint.models import training_partner, train_graph
    from ._shapes import shape_results
    partner = training_partner(context)
    if partner is None:
        return
    theirs_graph = train_graph(partner)
    results = shape_results(context)   # TEST, or the one state of a net without phase rules
    deploy = next(((s, r) for s, r in results if s.phase == "TEST"), results[0] if results else None)
    if theirs_graph is None or deploy is None:
        return
    from ..shapes import infer_shapes
    mine = _params_by_name(deploy[1].graph, deploy[1])
    theirs = _params_by_name(theirs_graph, infer_shapes(theirs_graph, None))
    other = os.path.basename(partner.path)
    found = []
    for name, (layer, shapes) in mine.items():
        if name in theirs:
            difference = _difference(layer, shapes, *theirs[name])
            if difference:
                found.append((layer, difference))
    if len(found) <= GROUP_FROM - 1:
        for layer, difference in found:
            yield context.report(layer_anchor(layer), (
                f"layer '{layer.name}' differs from the training net {other!r}: {difference} -- "
                f"the deploy net cannot take the trained weights; make the layers agree"))
    elif found:
        yield _grouped(context, found, other, _folded_batchnorm(mine, theirs))


GROUP_FROM = 4  # this many differing layers or more: one finding, each layer related


def _folded_batchnorm(mine, theirs) -> bool:
    """The training net normalises with BatchNorm and the deploy net has none: a deploy
    for weights with batch norm folded into the convolutions (merge_bn scripts)."""
    def has_bn(layers):
        return any(layer.type == "BatchNorm" for layer, _ in layers.values())
    return has_bn(theirs) and not has_bn(mine)


def _grouped(context, found, other, folded):
    from dataclasses import replace
    names = ", ".join(f"'{layer.name}' ({difference.split(' (Caffe')[0][:60]})"
                      for layer, difference in found[:3])
    hint = ("the training net's BatchNorm layers are absent here: this deploy net is for "
            "weights with batch norm folded into the convolutions, not for the training "
            "snapshots -- lint it with those weights (--weights)" if folded else
            "the deploy net cannot take the trained weights; make the layers agree")
    first = found[0][1]
    problem = context.report(layer_anchor(found[0][0]), severity="warning" if folded else None,
                             message=(
        f"{len(found)} layers differ from the training net {other!r}: {names} and "
        f"{len(found) - 3} more (first: {first}) -- {hint}"))
    return replace(problem, related=tuple(
        (*layer_anchor(layer).position, f"'{layer.name}': {difference}")
        for layer, difference in found))