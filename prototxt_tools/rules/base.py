"""What every rule module shares: the Fix record, documentation sections and small helpers.

A rule module is plain data plus one generator: ``CODE``, ``NAME``,
``SEVERITY``, ``OPTIONS`` (name -> (type, default)), a docstring whose
sections document it, and ``check(context, options)`` yielding Problems via
``context.report``.  Severity overrides, selection and suppression are
applied once by the runner, never inside a rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Tuple

from ..edits import TextEdit


SECTIONS = ("What it does", "Why it matters", "Example", "Use instead")
_HEADING = re.compile(r"^## (.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Fix:
    """Text edits that resolve a finding; ``safe`` fixes run with ``--fix``, the rest
    need ``--unsafe-fixes`` because they change what the net does."""

    description: str
    edits: Tuple[TextEdit, ...] = field(default_factory=tuple)
    safe: bool = True


def summary(rule) -> str:
    """The first line of the rule's docstring."""
    return (rule.__doc__ or "").strip().splitlines()[0].strip()


def sections(rule) -> Dict[str, str]:
    """Documentation sections (heading -> body) of a rule module's docstring."""
    doc = rule.__doc__ or ""
    found = {}
    heads = list(_HEADING.finditer(doc))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(doc)
        found[head.group(1)] = doc[head.end():end].strip("\n").rstrip()
    return found


def documentation(rule) -> str:
    """Markdown for ``ptx rule``: title line, then every section."""
    lines = [f"# {rule.NAME} ({rule.CODE})", "", summary(rule), "",
             f"Default severity: {rule.SEVERITY}."]
    if rule.OPTIONS:
        lines.append("Options: " + ", ".join(
            f"`{name}` ({kind.__name__}, default {default!r})"
            for name, (kind, default) in rule.OPTIONS.items()) + ".")
    for title, body in sections(rule).items():
        lines += ["", f"## {title}", body]
    return "\n".join(lines) + "\n"


def layer_anchor(layer):
    """Where a finding about a whole layer points: its ``name`` field, else the layer itself."""
    name = layer.body.get("name")
    return name if name is not None else (layer.field or layer.node)


def first_field(message):
    """Where a finding about a whole file or net points: its first field, else line 1."""
    return message.fields[0] if message.fields else (1, 1)


def state_label(state) -> str:
    """``TRAIN`` / ``TEST stage=deploy`` for messages."""
    stages = " ".join(f"stage={s}" for s in state.stages)
    return f"{state.phase} {stages}".strip()


def original_writer(graph, layer, bottom_index: int = 0):
    """The layer computing what ``layer`` reads at ``bottom_index``, followed back through
    in-place layers (Dropout, ReLU...) to the original writer; None when unknown."""
    producer = graph.producer_layer(layer, bottom_index)
    if producer is None:
        return None
    blob = graph.producer(layer, bottom_index)
    chain = graph.in_place_chain(producer, blob.top_index)
    return chain[0] if chain else producer
