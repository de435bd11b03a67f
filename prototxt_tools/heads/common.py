"""Helpers every family shares: the graphs to read, the class-count places found
below a head (Reshape dims, Accuracy top_k) and in Python layers' param_str."""
from __future__ import annotations

from typing import Dict, Iterable, List

from ..passes.base import graphs
from .paramstr import int_keys
from .plan import ParamKey, Setting
from .walk import readers_of

SOFTMAX_READERS = ("Softmax", "SoftmaxWithLoss", "Accuracy", "SoftmaxWithLossOHEM",
                   "SigmoidCrossEntropyLoss")
_THROUGH = ("Reshape", "Softmax", "Flatten", "Pooling", "Permute", "ReLU", "Dropout",
            "Split", "Interp", "Crop")


def all_graphs(ptx_file) -> list:
    return graphs(ptx_file)


def unique_layers(layers: Iterable) -> list:
    """Layers by index, first seen kept, sorted in file order."""
    seen: Dict[int, object] = {}
    for layer in layers:
        seen.setdefault(layer.index, layer)
    return [seen[i] for i in sorted(seen)]


def below(graph, layer, depth: int = 6) -> list:
    """Layers reading ``layer``'s output, walking down through reshaping, pooling and
    softmax layers (not through learnable ones), ``depth`` steps at most."""
    found, frontier = [], [layer]
    for _ in range(depth):
        nxt = []
        for current in frontier:
            for reader in readers_of(graph, current):
                if all(reader.index != f.index for f in found):
                    found.append(reader)
                    if reader.type in _THROUGH:
                        nxt.append(reader)
        frontier = nxt
    return found


def reaches_softmax(graph, layer) -> bool:
    return any(r.type in SOFTMAX_READERS or "Softmax" in r.type for r in below(graph, layer))


def reshape_settings(layers, old: int, new: int, why: str) -> List[Setting]:
    """Every Reshape ``dim`` equal to ``old`` (the class dimension) set to ``new``."""
    out = []
    for layer in layers:
        if layer.type != "Reshape":
            continue
        shape = layer.typed("reshape_param").get("shape")
        dims = shape.get_all("dim") if shape is not None else []
        for k, dim in enumerate(dims):
            if dim == old and old != new:
                out.append(Setting(layer.index, layer.name, ("reshape_param", "shape", "dim"),
                                   new, why, item=k))
    return out


def top_k_settings(layers, outputs: int) -> List[Setting]:
    """Accuracy layers whose top_k exceeds the new class count (Caffe aborts:
    "top_k must be less than or equal to the number of classes")."""
    out = []
    for layer in layers:
        if layer.type != "Accuracy":
            continue
        top_k = layer.typed("accuracy_param").get("top_k")
        if isinstance(top_k, int) and top_k > outputs:
            out.append(Setting(layer.index, layer.name, ("accuracy_param", "top_k"), outputs,
                               f"was {top_k}, more than the {outputs} classes: Caffe aborts "
                               f"with 'top_k must be less than or equal to the number of "
                               f"classes'"))
    return out


def python_class_keys(ptx_file, graph_list) -> List[tuple]:
    """(layer, num_classes) of every Python layer whose param_str names num_classes."""
    layers = unique_layers(l for g in graph_list for l in g.layers() if l.type == "Python")
    out = []
    for layer in layers:
        value = int_keys(layer).get("num_classes")
        if value is not None:
            out.append((layer, value))
    return out


def param_keys(found, new: int, why: str) -> List[ParamKey]:
    return [ParamKey(layer.index, layer.name, "num_classes", new, why)
            for layer, value in found if value != new]
