"""Semantic diff of two nets: ``compare_files(a, b)`` -> layer diffs, net-level field
changes and notes.  V0/V1 nets and deprecated ``input`` fields are compared after
upgrading them in memory: a net and its ``ptx upgrade`` output are the same net to
Caffe, so they differ in nothing."""
from __future__ import annotations

from typing import List, NamedTuple, Tuple

from .compare import ADDED, CHANGED, REMOVED, RENAMED, SAME, LayerDiff, diff_nets, net_field_changes
from .match import match_layers


class DiffResult(NamedTuple):
    layers: List[LayerDiff]
    net: list            # (field path, a, b) of net-level fields
    notes: List[str]


def compare_files(path_a, path_b, schema=None) -> DiffResult:
    """Load two nets (paths or text), upgrade old formats, and compare them."""
    nets, notes = [], []
    for side, path in (("a", path_a), ("b", path_b)):
        net, note = _current_net(path, schema, side)
        nets.append(net)
        notes += [note] if note else []
    return DiffResult(diff_nets(*nets), net_field_changes(*nets), notes)


def diff_files(path_a, path_b, schema=None) -> Tuple[List[LayerDiff], list]:
    """``compare_files`` without the notes."""
    result = compare_files(path_a, path_b, schema)
    return result.layers, result.net


def _current_net(path, schema, side: str):
    from ..api import load
    from ..upgrade.current import as_current
    ptx_file = load(path, schema=schema)
    ptx_file.expect("net")
    current = as_current(ptx_file, inputs=True)
    if current is ptx_file:
        return ptx_file.net, ""
    what = (f"a {ptx_file.format.upper()} net" if ptx_file.format != "v2"
            else "a net with deprecated input fields")
    return current.net, (f"{side} ({ptx_file.path}) is {what}: compared as Caffe loads it, "
                         f"upgraded to the current format (ptx upgrade)")


__all__ = ["ADDED", "CHANGED", "REMOVED", "RENAMED", "SAME", "DiffResult", "LayerDiff",
           "compare_files", "diff_nets", "diff_files", "match_layers", "net_field_changes"]
