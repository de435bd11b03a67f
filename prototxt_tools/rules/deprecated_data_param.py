"""`mean_file`, `scale`, `crop_size` or `mirror` inside `data_param`/`image_data_param` of a V2 net.

## What it does
Reports the four transformation fields written in the data parameters of a
current-format (`layer {}`) net, where they still parse but do nothing; in
`window_data_param` the same, except `scale`, which WindowData still reads.
The unsafe fix moves them into the layer's `transform_param`.

## Why it matters
Caffe moves these fields into `transform_param` only when upgrading old `layers {}`
nets. In a `layer {}` net nothing reads them: no mean is subtracted, no crop, no
scaling, silently. Training still runs, on unnormalised inputs.

## Example
```prototxt
data_param { source: "train_lmdb" backend: LMDB batch_size: 64 mean_file: "mean.binaryproto" }
```

## Use instead
```prototxt
transform_param { mean_file: "mean.binaryproto" }
data_param { source: "train_lmdb" backend: LMDB batch_size: 64 }
```
"""
from __future__ import annotations

from ..syntax import Message
from .base import Fix

CODE = "PTX306"
NAME = "deprecated-data-param"
SEVERITY = "warning"
OPTIONS: dict = {}


def _dead_fields(layer, ignored):
    """(data param Field, field) for each transformation field of ``layer`` nothing reads."""
    found = []
    for block_name, names in ignored.items():
        block = layer.node.get(block_name)
        if block is None or not isinstance(block.value, Message):
            continue
        found += [(block, f) for f in block.value.fields if f.name in names]
    return found


def _move_fix(context, layer, dead):
    """Move the dead fields into ``transform_param``, with their comments.

    Unsafe: training changes (the mean is now subtracted, the crop now made).  A field
    ``transform_param`` already sets keeps that value and the data param copy is only
    deleted: the transform_param value is the one Caffe has been using all along, so
    the fix turns dead settings on without changing one that is live.  (Caffe's V1
    upgrade overwrites instead, because in V1 the data param copy was the live one.)
    Built with ``ptx upgrade``'s own edits (upgrade.data_transform) so both agree.
    """
    from ..upgrade.data_transform import move_to_transform_param
    from ..edits.layout import detect_style, removal
    from ..upgrade.text import split_message
    doc = context.ptx_file.doc
    target = layer.node.message("transform_param")
    kept = _live_fields(target)
    dead_ids = {id(f) for _, f in dead}
    moving = [(block, chunk) for block in dict.fromkeys(b for b, _ in dead)
              for chunk in split_message(block.value).chunks
              if id(chunk.field) in dead_ids and chunk.field.name not in kept]
    edits = [removal(doc, f) for _, f in dead if f.name in kept]
    if moving:
        edits += move_to_transform_param(doc, layer.node, moving, detect_style(doc))
    return Fix(_describe(dead, kept), tuple(edits), safe=False)


def _live_fields(target) -> set:
    """Names transform_param already settles: its own fields, and ``mean_file`` when it
    has ``mean_value`` (Caffe's DataTransformer refuses both at once)."""
    if target is None:
        return set()
    names = {f.name for f in target.fields}
    if "mean_value" in names:
        names.add("mean_file")
    return names


def _describe(dead, kept) -> str:
    moved = ", ".join(f.name for _, f in dead if f.name not in kept)
    dropped = ", ".join(f"{b.name}.{f.name}" for b, f in dead if f.name in kept)
    parts = ([f"move {moved} to transform_param"] if moved else []) + \
        ([f"delete {dropped} (transform_param sets it)"] if dropped else [])
    return "; ".join(parts)


def check(context, options):
    net = context.the_net
    if net is None:
        return
    from ..upgrade.tables import IGNORED_IN_V2
    for layer in net.layers:
        if layer.format != "v2":
            continue
        dead = _dead_fields(layer, IGNORED_IN_V2)
        fix = _move_fix(context, layer, dead) if dead else None
        for block, field in dead:
            yield context.report(field, (
                f"{block.name}.{field.name} of layer '{layer.name}' is ignored by Caffe "
                f"in `layer {{}}` nets -- move it to transform_param"), fix=fix)
