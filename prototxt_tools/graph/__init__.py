"""Caffe's dataflow semantics over the net views: state filtering and blob wiring.

networkx is imported only when a graph is built, to keep ``ptx`` cold start fast.
"""
from .blobs import Blob
from .build import NO_IN_PLACE, build_graph, resolve_state
from .netgraph import NetGraph
from .state import (TEST, TRAIN, NetState, filter_layers, include_and_exclude_problems,
                    layer_included, net_state, rule_met, solver_net_state)

__all__ = ["Blob", "NetGraph", "NetState", "TRAIN", "TEST", "build_graph", "resolve_state",
           "filter_layers", "layer_included", "rule_met", "net_state", "solver_net_state",
           "include_and_exclude_problems", "NO_IN_PLACE"]
