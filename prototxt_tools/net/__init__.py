"""Typed, read-only views over the CST: nets, layers, solvers, labelmaps.

The CST stays the single source of truth; every view holds its node
(``.node``) so findings and edits can point at exact source spans.
"""
from .blobs import learnable_blob_count
from .kind import LABELMAP, NET, SOLVER, UNKNOWN, file_kind, net_format
from .labelmap import LabelItem, LabelMap
from .layer import Layer
from .net import Net, NetInput
from .rules import ParamSpec, Rule
from .solver import NetRef, Solver
from .typed import TypedParams

__all__ = ["Layer", "Net", "NetInput", "ParamSpec", "Rule", "Solver", "NetRef", "LabelMap",
           "LabelItem", "TypedParams", "learnable_blob_count", "file_kind", "net_format",
           "NET", "SOLVER", "LABELMAP", "UNKNOWN"]
