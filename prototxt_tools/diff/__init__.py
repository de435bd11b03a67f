"""Semantic diff of two nets: ``diff_files(a, b)`` -> (layer diffs, net-level field changes)."""
from __future__ import annotations

from .compare import ADDED, CHANGED, REMOVED, RENAMED, SAME, LayerDiff, diff_nets, net_field_changes
from .match import match_layers


def diff_files(path_a, path_b, schema=None):
    """Load two nets (paths or text) and compare them."""
    from ..api import load
    net_a, net_b = load(path_a, schema=schema).net, load(path_b, schema=schema).net
    return diff_nets(net_a, net_b), net_field_changes(net_a, net_b)


__all__ = ["ADDED", "CHANGED", "REMOVED", "RENAMED", "SAME", "LayerDiff", "diff_nets",
           "diff_files", "match_layers", "net_field_changes"]
