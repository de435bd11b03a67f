"""A learnable layer of a training net has no `weight_filler` and is not loaded from weights.

## What it does
In nets that train (a TRAIN state with a loss), reports Convolution,
Deconvolution, InnerProduct and Embed layers without a `weight_filler` whose
output feeds a further learnable layer of those types, unless they are frozen
(`lr_mult: 0`), share an earlier layer's weights, or the `--weights` caffemodel
holds a layer of that name. The last such layer before the loss (the classifier
feeding Softmax) is not reported: its gradient is the loss gradient times its
input, different for every output, so it learns from zeros.

Without `--weights`, a net where most such layers have no filler is evidently
started from a pretrained model (FCN, fine-tuning nets): each layer with a boosted
`lr_mult` (above 1, the mark of a new layer) is still reported on its own, and the
others get one finding together, asking for `--weights` to check them.

The unsafe fix of a single layer's finding (current-format nets only) adds `weight_filler { type: "msra" }`
to a convolution (He initialisation, made for the ReLUs that follow them) and
`{ type: "xavier" }` to an inner product or embedding. Unsafe: the layer then
starts from random weights instead of zeros; a layer the weights do load is not
affected (the copy overwrites what the filler made).

## Why it matters
Caffe's default filler is `constant` with value 0. All-zero weights make every
output channel identical, and the layers after it see identical inputs and pass
back gradients that keep them so: the layer never breaks symmetry, training
runs, the loss barely moves.

## Example
```prototxt
layer { name: "fc8_new" type: "InnerProduct" bottom: "fc7" top: "fc8_new"
        inner_product_param { num_output: 20 } }
```

## Use instead
```prototxt
layer { name: "fc8_new" type: "InnerProduct" bottom: "fc7" top: "fc8_new"
        inner_product_param { num_output: 20 weight_filler { type: "gaussian" std: 0.01 } } }
```
"""
from __future__ import annotations

from ..net.blobs import WEIGHT_PARAM_BLOCK
from ..edits.fields import insert_field
from .base import Fix, layer_anchor

CONV_TYPES = frozenset(("Convolution", "Deconvolution"))

CODE = "PTX206"
NAME = "missing-weight-filler"
SEVERITY = "warning"
OPTIONS: dict = {}


def _exempt(layer, owners: set, loaded) -> bool:
    specs = layer.params
    if specs and specs[0].is_set("lr_mult") and specs[0].lr_mult == 0.0:
        return True
    if specs and specs[0].name and specs[0].name in owners:
        return True
    return loaded is not None and layer.name in loaded


def check(context, options):
    graph = context.graph("TRAIN")
    if graph is None or not graph.loss_layers():
        return
    weights = context.weight_layers()
    loaded = None if weights is None else {w.name for w in weights}
    missing, filled = _without_filler(graph, loaded)
    if loaded is None and len(missing) >= 2 and len(missing) >= filled:
        boosted = [layer for layer in missing if _boosted(layer)]
        yield from (_single(context, layer, loaded) for layer in boosted)
        rest = [layer for layer in missing if not _boosted(layer)]
        if rest:
            yield _grouped(context, rest)
        return
    yield from (_single(context, layer, loaded) for layer in missing)


def _without_filler(graph, loaded) -> tuple:
    """(learnable layers that need a filler and have none, how many have one)."""
    missing, filled = [], 0
    owners: set = set()
    for layer in graph.layers():
        param_field = WEIGHT_PARAM_BLOCK.get(layer.type)
        exempt = param_field is None or _exempt(layer, owners, loaded)
        owners.update(s.name for s in layer.params if s.name)
        if exempt:
            continue
        if layer.typed(param_field).is_set("weight_filler"):
            filled += 1
        elif _feeds_weights(graph, layer):
            missing.append(layer)
    return missing, filled


def _feeds_weights(graph, layer) -> bool:
    """Whether a later layer with weights (Convolution, InnerProduct...) reads its output."""
    return any(later.type in WEIGHT_PARAM_BLOCK for later in graph.downstream(layer))


def _boosted(layer) -> bool:
    """A weight ``lr_mult`` above 1: by fine-tuning convention, a layer new to the net."""
    specs = layer.params
    return bool(specs) and specs[0].is_set("lr_mult") and specs[0].lr_mult > 1


def _single(context, layer, loaded):
    hint = "" if loaded is not None else " (unless --weights loads it)"
    return context.report(layer_anchor(layer), (
        f"layer '{layer.name}' has no weight_filler: Caffe fills it with constant 0, so its "
        f"outputs stay identical and it cannot learn{hint} -- add {_filler(layer)}"),
        fix=_add_filler(layer) if layer.format == "v2" else None)


def _filler(layer) -> str:
    return 'weight_filler { type: "%s" }' % ("msra" if layer.type in CONV_TYPES else "xavier")


def _add_filler(layer) -> Fix:
    """``weight_filler`` as the last field of the layer's ``*_param`` block (the block is
    created when the layer has none)."""
    filler = _filler(layer)
    block_name = WEIGHT_PARAM_BLOCK[layer.type]
    block = layer.node.message(block_name)
    edit = (insert_field(block, filler) if block is not None
            else insert_field(layer.node, f"{block_name} {{ {filler} }}"))
    return Fix(f"add {filler}", (edit,), safe=False)


def _grouped(context, layers):
    names = ", ".join(f"'{layer.name}'" for layer in layers[:4])
    more = f" and {len(layers) - 4} more" if len(layers) > 4 else ""
    count = "1 layer has" if len(layers) == 1 else f"{len(layers)} layers have"
    return context.report(layer_anchor(layers[0]), (
        f"{count} no weight_filler ({names}{more}): the net looks started "
        "from pretrained weights, and any layer they do not cover starts at constant 0 and "
        "cannot learn -- pass --weights to check they are all loaded"))
