"""Layers sharing a named parameter disagree on its shape or its multipliers.

## What it does
Follows Caffe's `Net::AppendParam`: the first layer with `param { name: "w" }` owns
`w`; every later layer naming it must create a blob of the same shape (the default
`share_mode: STRICT`) or of the same count (`share_mode: PERMISSIVE`), and an
`lr_mult` or `decay_mult` it writes must equal the first one written for `w`.
Shapes come from shape inference; layers with unknown shapes are not compared.
For a multiplier mismatch the unsafe fix writes the value Caffe compares against
(the first one written for `w`, usually the owner's); shape mismatches get no fix.

## Why it matters
Caffe aborts while building the net:
`Cannot share param 'w' owned by layer 'a' with layer 'b'; shape mismatch.  Owner layer param shape is 4 3 3 3 (108); sharing layer expects shape 8 3 3 3 (216)`,
or `Shared param 'w' has mismatched lr_mult.` Typical cause: editing `num_output`
(or `kernel_size`) of one branch of a siamese net and not the other.

## Example
```prototxt
layer { name: "a" type: "Convolution" bottom: "x" top: "a" param { name: "w" }
        convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "b" type: "Convolution" bottom: "y" top: "b" param { name: "w" }
        convolution_param { num_output: 8 kernel_size: 3 } }
```

## Use instead
```prototxt
layer { name: "b" type: "Convolution" bottom: "y" top: "b" param { name: "w" }
        convolution_param { num_output: 4 kernel_size: 3 } }
```
"""
from __future__ import annotations

from ..edits import TextEdit
from ._shapes import shape_results, with_hint
from .base import Fix, layer_anchor

CODE = "PTX507"
NAME = "shared-param-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}
HINTS = {
    "shape": "give both layers the same settings for this blob, or a different param name",
    "count": "give both layers the same settings for this blob, or a different param name",
    "lr_mult": "write lr_mult once (on the owner) or the same value everywhere",
    "decay_mult": "write decay_mult once (on the owner) or the same value everywhere",
}


def _anchor(layer, index: int, kind: str):
    fields = layer.node.get_all("param") if hasattr(layer.node, "get_all") else []
    spec = layer.params[index]
    node = fields[index] if layer.format == "v2" and len(fields) == len(layer.params) else spec.node
    if kind in ("lr_mult", "decay_mult") and layer.format == "v2" and hasattr(spec.node, "get"):
        node = spec.node.get(kind) or node
    return node or layer_anchor(layer)


def _written(spec, kind: str):
    """The ``lr_mult``/``decay_mult`` field in effect in a V2 ``param {}``, or None."""
    if not spec.is_set(kind) or not hasattr(spec.node, "get"):
        return None
    return spec.node.get(kind)


def _reference(result, error):
    """The field holding the value Caffe checks ``error``'s multiplier against: the first
    one written for that param name in this state (Net::AppendParam keeps the first
    ``has_lr_mult`` it meets, which is the owner's unless the owner left it out)."""
    name = error.layer.params[error.index].name
    for entry in result.layers:
        if entry.layer is error.layer:
            return None
        for spec in entry.layer.params:
            if spec.name == name and spec.is_set(error.kind):
                return _written(spec, error.kind)
    return None


def _fix(result, error):
    """Unsafe (training changes): the sharing layer's multiplier becomes the reference's,
    copied as written so both parse to the same float."""
    if error.kind not in ("lr_mult", "decay_mult") or error.layer.format != "v2":
        return None
    mine = _written(error.layer.params[error.index], error.kind)
    reference = _reference(result, error)
    if mine is None or reference is None:
        return None
    value = reference.value.render()
    return Fix(f"set {error.kind}: {value} (as the first layer sharing it)",
               (TextEdit(mine.value.start, mine.value.end, value),), safe=False)


def check(context, options):
    from ..shapes import sharing_errors
    seen = set()
    for _state, result in shape_results(context):
        for error in sharing_errors(result):
            key = (error.layer.index, error.index, error.message)
            if key in seen:
                continue
            seen.add(key)
            yield context.report(_anchor(error.layer, error.index, error.kind),
                                 with_hint(error.message, HINTS[error.kind]),
                                 fix=_fix(result, error))
