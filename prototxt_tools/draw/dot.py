"""DOT text of a Diagram (our own writer; Graphviz only renders it)."""
from __future__ import annotations

from ..summary import display_number
from .model import BOOSTED, FRESH, FROZEN, PLAIN, STATUS_TEXT, TRAINABLE, Diagram, Node

FILL = {FROZEN: "#cfd8dc", TRAINABLE: "#bde0fe", BOOSTED: "#ffd166", FRESH: "#95d5b2",
        PLAIN: "#ffffff"}
INPUT_FILL = "#f1f1f1"
LINT_COLOR = "#d00000"
BOOST_BORDER = "#f77f00"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def node_label(node: Node) -> str:
    lines = [node.name, node.type if not node.params else f"{node.type} {node.params}"]
    lines += [f"+ {folded}" for folded in node.folded]
    if node.lr_decay and node.status != "plain":
        lines.append("lr_mult " + "/".join(str(display_number(lr)) for lr, _ in node.lr_decay))
    if node.problems:
        lines.append(f"! {len(node.problems)} lint finding(s)")
    return "\n".join(lines)


def node_attributes(node: Node) -> dict:
    if node.is_input:
        return {"shape": "ellipse", "style": "filled", "fillcolor": INPUT_FILL,
                "label": node.name, "id": node.id, "class": "input"}
    attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": FILL[node.status],
             "label": node_label(node), "id": node.id, "class": f"layer {node.status}",
             "tooltip": f"{node.name}: {STATUS_TEXT[node.status]}"}
    if node.boosted:
        attrs.update(color=BOOST_BORDER, penwidth="2.5")
    if node.problems:
        attrs.update(color=LINT_COLOR, penwidth="3", tooltip="; ".join(node.problems))
    return attrs


def _attrs(attrs: dict) -> str:
    return ", ".join(f"{k}={quote(str(v))}" for k, v in attrs.items())


def _legend() -> list:
    lines = ["  subgraph cluster_legend {", '    label="legend"; fontsize=10; color="#999999";']
    previous = None
    for status in (FROZEN, TRAINABLE, BOOSTED, FRESH):
        name = f"legend_{status}"
        lines.append(f"    {name} [{_attrs({'shape': 'box', 'style': 'rounded,filled', 'fillcolor': FILL[status], 'label': STATUS_TEXT[status], 'fontsize': 9, 'id': name})}];")
        if previous:
            lines.append(f"    {previous} -> {name} [style=invis];")
        previous = name
    lint = {"shape": "box", "style": "rounded", "color": LINT_COLOR, "penwidth": 3,
            "label": "lint findings", "fontsize": 9, "id": "legend_lint"}
    lines += [f"    legend_lint [{_attrs(lint)}];", f"    {previous} -> legend_lint [style=invis];",
              "  }"]
    return lines


def to_dot(diagram: Diagram, rankdir: str = "TB", legend: bool = True) -> str:
    lines = [f"digraph {quote(diagram.title)} {{",
             f"  rankdir={rankdir}; fontname=\"Helvetica\"; label={quote(diagram.title)}; labelloc=t;",
             '  node [fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#555555"];']
    for node in diagram.nodes:
        lines.append(f"  {node.id} [{_attrs(node_attributes(node))}];")
    for edge in diagram.edges:
        label = edge.blob + (f"\n{edge.shape}" if edge.shape else "")
        lines.append(f"  {edge.source} -> {edge.target} [{_attrs({'label': label})}];")
    if legend:
        lines += _legend()
    lines.append("}")
    return "\n".join(lines) + "\n"
