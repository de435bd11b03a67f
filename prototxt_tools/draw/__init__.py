"""Net diagrams: ``diagram_for(ptx_file, phase, base=, weights=)`` -> Diagram;
``to_dot(diagram)`` (DOT text), ``to_html(diagram)`` (self-contained page),
``render(dot_text, fmt)`` (Graphviz ``dot``)."""
from __future__ import annotations

from .dot import to_dot
from .model import BOOSTED, FRESH, FROZEN, PLAIN, TRAINABLE, Diagram, Edge, Node, build_diagram
from .prepare import diagram_for

__all__ = ["to_dot", "diagram_for", "build_diagram", "Diagram", "Node", "Edge", "FROZEN",
           "TRAINABLE", "BOOSTED", "FRESH", "PLAIN"]
