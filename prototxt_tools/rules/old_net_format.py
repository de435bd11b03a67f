"""The net uses the deprecated V0 or V1 format (`layers { type: CONVOLUTION }`).

## What it does
Reports nets written with `layers {}` blocks (V1 enum types, or V0 nested
`layer {}`), and nets mixing `layer` and `layers`. The fix rewrites the file
with `ptx upgrade`'s text edits (comments and spacing kept).

## Why it matters
Caffe upgrades such files on every read (`Attempting to upgrade input file specified
using deprecated V1LayerParameter`), but inline solver nets are not upgraded, newer
tools do not read the old format at all, and a mixed file is fatal:
`Refusing to upgrade inconsistent NetParameter input; the definition includes both 'layer' and 'layers' fields.`

## Example
```prototxt
layers { name: "relu1" type: RELU bottom: "conv1" top: "conv1" }
```

## Use instead
```prototxt
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
```
"""
from __future__ import annotations

from .base import Fix

CODE = "PTX007"
NAME = "old-net-format"
SEVERITY = "warning"
OPTIONS: dict = {}


def _upgrade_fix(context):
    from ..edits import TextEdit
    from ..errors import PtxError
    from ..upgrade import upgrade_text
    try:
        result = upgrade_text(context.text, context.path)
    except PtxError:
        return None
    if not result.needed or result.text == context.text:
        return None
    return Fix("upgrade to the current net format (ptx upgrade)",
               (TextEdit(0, len(context.text), result.text),), safe=True)


def check(context, options):
    if context.kind != "net" or context.net is not None:
        return
    fmt = context.ptx_file.format
    if fmt == "v2":
        return
    doc = context.ptx_file.doc
    first = (doc.get_all("layers") or doc.fields)[0]   # where the old format starts
    if fmt == "mixed":
        from ..upgrade.tables import MIXED_FORMAT_MESSAGE   # Caffe's words, as ptx upgrade's
        yield context.report(first, f"{MIXED_FORMAT_MESSAGE} -- convert the `layers` blocks to "
                                    f"`layer` (ptx upgrade)", severity="error", end_node=first)
        return
    yield context.report(first, f"the net uses the deprecated {fmt.upper()} format; Caffe "
                                f"upgrades it on every read -- run `ptx upgrade` or `--fix`",
                         fix=_upgrade_fix(context))
