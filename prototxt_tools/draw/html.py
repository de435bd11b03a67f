"""A single self-contained HTML page: the diagram as inline SVG (our own layout), pan by
dragging, zoom with the wheel, and a panel with a layer's parameters on hover/click
(``page.html#select=<layer>`` opens the panel on that layer).
No network access: no external script, style sheet or font."""
from __future__ import annotations

import html

from ..formats.json import dumps
from ..summary import display_number
from .dot import FILL, INPUT_FILL, LINT_COLOR, BOOST_BORDER
from .layout import LINE_HEIGHT, layout, node_lines
from .model import STATUS_TEXT, Diagram

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('layers').textContent);
  var svg = document.getElementById('diagram'), view = document.getElementById('viewport');
  var panel = document.getElementById('panel');
  var scale = 1, tx = 0, ty = 0, drag = null;
  function apply() { view.setAttribute('transform', 'translate(' + tx + ',' + ty + ') scale(' + scale + ')'); }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var f = e.deltaY < 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
    var mx = e.clientX - r.left, my = e.clientY - r.top;
    tx = mx - (mx - tx) * f; ty = my - (my - ty) * f; scale *= f; apply();
  }, {passive: false});
  svg.addEventListener('mousedown', function (e) { drag = [e.clientX - tx, e.clientY - ty]; });
  window.addEventListener('mousemove', function (e) { if (drag) { tx = e.clientX - drag[0]; ty = e.clientY - drag[1]; apply(); } });
  window.addEventListener('mouseup', function () { drag = null; });
  function show(id) {
    var d = data[id]; if (!d) return;
    var rows = [['name', d.name], ['type', d.type], ['status', d.status], ['line', d.line],
                ['parameters', d.params], ['lr_mult/decay_mult', d.lr], ['in place', d.folded],
                ['top shapes', d.shapes], ['lint', d.problems]];
    panel.innerHTML = '';
    rows.forEach(function (r) {
      if (!r[1]) return;
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = r[0]; dd.textContent = r[1]; panel.appendChild(dt); panel.appendChild(dd);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('g.node'), function (g) {
    g.addEventListener('mouseenter', function () { show(g.id); });
    g.addEventListener('click', function () { show(g.id); });
  });
  var wanted = decodeURIComponent((location.hash.match(/select=([^&]+)/) || [])[1] || '');
  Object.keys(data).forEach(function (id) { if (data[id].name === wanted) show(id); });
})();
"""

_STYLE = """
body { margin: 0; font: 13px Helvetica, Arial, sans-serif; display: flex; height: 100vh; }
#canvas { flex: 1; overflow: hidden; background: #fafafa; }
#diagram { width: 100%; height: 100%; cursor: grab; }
#side { width: 300px; border-left: 1px solid #ccc; padding: 8px; overflow: auto; }
#panel dt { font-weight: bold; margin-top: 6px; } #panel dd { margin: 0 0 0 8px; white-space: pre-wrap; }
.legend span { display: inline-block; padding: 2px 6px; margin: 2px; border: 1px solid #888; border-radius: 4px; }
g.node text { font-size: 11px; pointer-events: none; } text.edge { font-size: 9px; fill: #555; }
"""


def _node_svg(node, box) -> str:
    x, y, w, h = box
    fill = INPUT_FILL if node.is_input else FILL[node.status]
    stroke, width = "#333333", 1
    if node.boosted:
        stroke, width = BOOST_BORDER, 2.5
    if node.problems:
        stroke, width = LINT_COLOR, 3
    radius = h / 2 if node.is_input else 6
    parts = [f'<g class="node {node.status}" id="{node.id}" data-name="{html.escape(node.name)}">',
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}" '
             f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>']
    for k, line in enumerate(node_lines(node)):
        weight = ' font-weight="bold"' if k == 0 else ""
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y + 16 + k * LINE_HEIGHT:.1f}" '
                     f'text-anchor="middle"{weight}>{html.escape(line)}</text>')
    return "".join(parts) + "</g>"


def _edge_svg(edge, places) -> str:
    sx, sy, sw, sh = places[edge.source]
    tx, ty, tw, _ = places[edge.target]
    x1, y1, x2, y2 = sx + sw / 2, sy + sh, tx + tw / 2, ty
    middle = (y1 + y2) / 2
    label = edge.blob + (f" [{edge.shape}]" if edge.shape else "")
    return (f'<path d="M{x1:.1f},{y1:.1f} C{x1:.1f},{middle:.1f} {x2:.1f},{middle:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="#777" marker-end="url(#arrow)"/>'
            f'<text class="edge" x="{(x1 + x2) / 2 + 4:.1f}" y="{middle:.1f}">'
            f'{html.escape(label)}</text>')


def _panel_data(diagram) -> dict:
    return {n.id: {"name": n.name, "type": n.type, "status": STATUS_TEXT.get(n.status, ""),
                   "line": n.line or "", "params": n.params,
                   "lr": " ".join(f"{display_number(lr)}/{display_number(dm)}"
                                  for lr, dm in n.lr_decay),
                   "folded": ", ".join(n.folded), "shapes": ", ".join(n.top_shapes),
                   "problems": "\n".join(n.problems)} for n in diagram.nodes}


def to_html(diagram: Diagram) -> str:
    places = layout(diagram)
    body = [_edge_svg(e, places) for e in diagram.edges if e.source in places]
    body += [_node_svg(n, places[n.id]) for n in diagram.nodes]
    legend = "".join(f'<span style="background:{FILL[s]}">{html.escape(t)}</span>'
                     for s, t in STATUS_TEXT.items() if s != "plain")
    legend += f'<span style="border:3px solid {LINT_COLOR}">lint findings</span>'
    data = dumps(_panel_data(diagram)).replace("</", "<\\/")
    title = html.escape(diagram.title)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body>"
            f'<div id="canvas"><svg id="diagram" xmlns="http://www.w3.org/2000/svg">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#777"/></marker></defs>'
            f'<g id="viewport">{"".join(body)}</g></svg></div>'
            f'<div id="side"><h3>{title}</h3><div class="legend">{legend}</div>'
            '<p>Drag to pan, wheel to zoom; hover or click a layer.</p><dl id="panel"></dl></div>'
            f'<script type="application/json" id="layers">{data}</script>'
            f"<script>{_SCRIPT}</script></body></html>\n")
