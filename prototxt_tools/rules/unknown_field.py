"""A field the schema does not know (a typo or a fork-only field).

## What it does
Reports what the schema check (``prototxt_tools.schema.validate``) finds under
this code, at the exact line and column; messages quote protobuf's own text.
The `<type>_param` of a layer type upstream lacks (`apl_param` of `APL`) is said to
be that fork layer's parameters, with no did-you-mean.

## Why it matters
Caffe's protobuf parser refuses the whole file:
`Message type "caffe.LayerParameter" has no field named "psroi_pooling_param".` then
`Failed to parse NetParameter file`. Fork fields need the fork's build; lint them with
`--schema path/to/fork/caffe.proto`.

## Example
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
  convolution_param { num_outputs: 64 kernel_size: 3 }
}
```

## Use instead
```prototxt
layer {
  name: "conv1"
  type: "Convolution"
  convolution_param { num_output: 64 kernel_size: 3 }
}
```
"""
from __future__ import annotations

from ._wrap import one_per_message, schema_findings

CODE = "PTX002"
NAME = "unknown-field"
SEVERITY = "error"
OPTIONS: dict = {}


def check(context, options):
    """Wraps the schema validator's findings, except those about a catalogued fork's
    names: fork-use (PTX009) reports them, once per fork."""
    from ..forks.usage import claims_finding
    unknown = None   # the file's unknown types, looked up only for an unknown *_param
    mine = []
    for problem in schema_findings(context, CODE):
        if claims_finding(problem):
            continue
        param = _param_of(problem)
        if param is not None and unknown is None:
            unknown = _unknown_types(context)
        kind = unknown.get(param) if param is not None else None
        mine.append(_fork_param(problem, kind) if kind else problem)
    return one_per_message(mine)


def _unknown_types(context) -> dict:
    """The file's unknown layer types by squashed name (``seludropout``: ``SeLuDropout``): a
    ``selu_dropout_param`` field is then that fork layer's own parameters, not a misspelt
    upstream field (no ``Did you mean "dropout_param"?``)."""
    from ..forks.usage import file_layers
    from .unknown_layer_type import _squash, known_types
    known = known_types(context)
    return {_squash(layer.type): layer.type for layer in file_layers(context)
            if layer.type and layer.type not in known}


def _param_of(problem):
    """``seludropout`` for an unknown ``caffe.LayerParameter.selu_dropout_param``, else None."""
    from ..schema.validate import finding_subject
    from .unknown_layer_type import _squash
    subject = finding_subject(problem) or ""
    scope, _, name = subject.rpartition(".")
    if scope != "caffe.LayerParameter" or not name.endswith("_param"):
        return None
    return _squash(name[:-len("_param")])


def _fork_param(problem, kind: str):
    from dataclasses import replace
    said = problem.message.split(" Did you mean")[0]
    return replace(problem, message=f"{said} -- the parameters of layer type {kind!r}, which "
                                    f"upstream Caffe lacks (a fork's: lint with its `--schema`)")
