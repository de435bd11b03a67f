"""Reading and editing integer keys of a Python layer's ``param_str`` in place.

py-faster-rcnn and its descendants pass settings to Python layers as a dict
literal in a string: ``param_str: "'num_classes': 21"`` (read with YAML or
``eval`` by the layer).  The class count there must change with the heads, so
the digits of that one value are replaced inside the string's raw text: quotes,
escapes (``\\'num_classes\\'``), spacing and every other key stay as written.
"""
from __future__ import annotations

import re
from typing import Dict, Optional

from ..edits import TextEdit

_QUOTE = r"(?:\\?['\"])?"


def _pattern(key: str):
    return re.compile(r"(?<![\w])" + _QUOTE + re.escape(key) + _QUOTE + r"\s*:\s*(-?\d+)\b")


def param_str_node(layer):
    """The scalar node of ``python_param { param_str }``, or None."""
    block = layer.node.message("python_param")
    found = block.get("param_str") if block is not None else None
    return found.value if found is not None and hasattr(found.value, "raw") else None


def int_keys(layer, keys=("num_classes",)) -> Dict[str, int]:
    """The integer values of ``keys`` present in the layer's param_str."""
    node = param_str_node(layer)
    if node is None:
        return {}
    out = {}
    for key in keys:
        match = _pattern(key).search(node.raw)
        if match:
            out[key] = int(match.group(1))
    return out


def set_int_key(layer, key: str, value: int) -> Optional[TextEdit]:
    """The edit replacing the digits of ``key``'s value; None if absent or already so."""
    node = param_str_node(layer)
    match = _pattern(key).search(node.raw) if node is not None else None
    if match is None or int(match.group(1)) == value:
        return None
    start = node.start + match.start(1)
    return TextEdit(start, start + len(match.group(1)), str(value))
