"""``--rename OLD=NEW`` and ``--rename-blob OLD=NEW``.

Renaming a layer is how a fine-tuner drops its pretrained weights: Caffe copies
weights by layer name (caffe_semantics.md §3.2).  By default the layer's tops
called like the layer follow, with every later bottom reading them up to the
next rebinding of the name: in-place layers (ReLU, BatchNorm, Dropout) rewriting
the blob are renamed along, in every phase, because Caffe binds blob names
sequentially (§2.2).  ``rename_blob`` renames one blob name everywhere it occurs.
"""
from __future__ import annotations

from typing import Dict, List

from ..edits.fields import rename_string
from ..edits.layout import detect_style
from ..errors import PtxError
from .base import (EditResult, Pass, graphs, layers_named, no_such, old_new, require_v2,
                   unchanged)


def run(ptx_file, old: str, new: str, blobs: bool = True) -> EditResult:
    """Rename layer ``old`` (all its phase copies) to ``new``; its same-named tops too."""
    require_v2(ptx_file)
    _check_name(new, "layer")
    net = ptx_file.net
    if old == new or (not net.layer_by_name(old) and net.layer_by_name(new)):
        return unchanged(f"layer '{new}' exists and '{old}' does not (already renamed)"
                         if old != new else f"'{old}' already has that name")
    layers = layers_named(ptx_file, old)
    if net.layer_by_name(new):
        raise PtxError(f"cannot rename '{old}' to '{new}': a layer named '{new}' exists",
                       ptx_file.path)
    style = detect_style(ptx_file.doc)
    nodes = [layer.body.get("name").value for layer in layers]
    if blobs and old in {top for layer in layers for top in layer.tops}:
        _refuse_taken_blob(ptx_file, old, new)
        nodes += blob_nodes_after(ptx_file, layers, old)
    nodes = _unique(nodes)
    edits = [e for e in (rename_string(n, new, style) for n in nodes) if e]
    changes = [f"layer '{old}' renamed to '{new}' ({len(layers)} definition(s))"]
    if len(nodes) > len(layers):
        changes.append(f"blob '{old}' renamed to '{new}' in "
                       f"{len(nodes) - len(layers)} top/bottom reference(s)")
    return EditResult(edits, changes)


def blob_nodes_after(ptx_file, layers: list, name: str) -> list:
    """Top nodes called ``name`` of ``layers``, and every bottom/in-place top reading them
    up to the next rebinding of ``name``, in every phase."""
    wanted = {layer.index for layer in layers}
    nodes: list = []
    for graph in graphs(ptx_file):
        for layer in graph.layers():
            if layer.index not in wanted:
                continue
            for i, top in enumerate(layer.tops):
                if top == name:
                    _follow(graph, graph.top_blobs(layer)[i], nodes)
    return nodes


def _follow(graph, blob, nodes: list) -> None:
    nodes.append(blob.node)
    for reader, j in graph.readers(blob):
        nodes.append(reader.bottom_nodes[j])
        if j < len(reader.tops) and reader.tops[j] == blob.name:
            _follow(graph, graph.top_blobs(reader)[j], nodes)


def run_blob(ptx_file, old: str, new: str) -> EditResult:
    """Rename blob ``old`` to ``new`` in every top, bottom and net ``input``."""
    require_v2(ptx_file)
    _check_name(new, "blob")
    uses = blob_uses(ptx_file)
    if old == new or (old not in uses and new in uses):
        return unchanged(f"blob '{new}' exists and '{old}' does not (already renamed)"
                         if old != new else f"blob '{old}' already has that name")
    if old not in uses:
        raise PtxError(no_such("blob", old, uses), ptx_file.path)
    _refuse_taken_blob(ptx_file, old, new, uses)
    style = detect_style(ptx_file.doc)
    edits = [rename_string(n, new, style) for n in uses[old]]
    return EditResult([e for e in edits if e],
                      [f"blob '{old}' renamed to '{new}' ({len(uses[old])} reference(s))"])


def blob_uses(ptx_file) -> Dict[str, List]:
    """Blob name -> every scalar node naming it (tops, bottoms, net inputs), in file order."""
    uses: Dict[str, List] = {}
    for node in ptx_file.doc.values("input"):
        uses.setdefault(str(node.value), []).append(node)
    for layer in ptx_file.net.layers:
        for node in layer.bottom_nodes + layer.top_nodes:
            uses.setdefault(str(node.value), []).append(node)
    return uses


def _refuse_taken_blob(ptx_file, old: str, new: str, uses=None) -> None:
    uses = blob_uses(ptx_file) if uses is None else uses
    if new in uses:
        raise PtxError(f"cannot rename blob '{old}' to '{new}': a blob named '{new}' exists "
                       f"(the two would be wired together)", ptx_file.path)


def _check_name(name: str, what: str) -> None:
    if not name or name != name.strip():
        raise PtxError(f"invalid {what} name {name!r}")


def _unique(nodes: list) -> list:
    seen, out = set(), []
    for node in nodes:
        if node.start not in seen:
            seen.add(node.start)
            out.append(node)
    return out


RENAME = Pass("rename", run, "rename a layer, its same-named tops and their readers", "OLD=NEW",
              old_new("--rename"))
RENAME_BLOB = Pass("rename_blob", run_blob, "rename one blob everywhere", "OLD=NEW",
                   old_new("--rename-blob"))
