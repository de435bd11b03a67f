"""A layer's settings as ``path -> value text`` pairs, for comparing two versions.

Paths are dotted field names with ``[k]`` for the k-th occurrence of a repeated
field (``convolution_param.kernel_size[1]``).  Wiring (name, type, bottom, top) and
``param {}`` specs are compared separately, so they are left out here.
"""
from __future__ import annotations

from typing import Dict

from ..syntax.cst import ListValue, Message

SEPARATE = ("name", "type", "bottom", "top", "param", "blobs_lr", "weight_decay", "layer")


def flatten(message: Message, skip=SEPARATE) -> Dict[str, str]:
    out: Dict[str, str] = {}
    _walk(message, "", out, skip)
    return out


def _walk(message: Message, prefix: str, out: Dict[str, str], skip) -> None:
    counts: Dict[str, int] = {}
    for field in message.fields:
        if not prefix and field.name in skip:
            continue
        for value in _values(field):
            k = counts.get(field.name, 0)
            counts[field.name] = k + 1
            path = f"{prefix}{field.name}" + (f"[{k}]" if k else "")
            if isinstance(value, Message):
                _walk(value, path + ".", out, ())
            else:
                out[path] = value.render().strip()


def _values(field) -> list:
    value = field.value
    if isinstance(value, ListValue):
        return list(value.items)
    return [value]
