"""Where a layer is and how its rules read, for messages and for the text ptx check builds
(shared by the data-layer swap and the Python-layer stand-ins)."""
from __future__ import annotations

from ..syntax import Message, Scalar


def layer_position(doc, layer):
    """(line, col) of the layer's ``layer``/``layers`` keyword, where users look for it."""
    for field in doc.fields:
        if field.value is layer.node:
            return field.line, field.col
    return layer.node.line, layer.node.col



def rule_text(rule: Message) -> str:
    """The rule's fields on one line (comments inside it must not swallow the rest)."""
    parts = []
    for field in rule.fields:
        for value in field.values():
            if isinstance(value, Scalar):
                parts.append(f"{field.name}: {value.raw}")
    return " ".join(parts)
