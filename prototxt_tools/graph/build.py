"""Wire a net's layers together the way Caffe's InsertSplits and Net::Init do (§2.1, §2.2).

Layers are taken in file order after state filtering; each top write creates
a new version of its name, each bottom resolves to the latest earlier write.
Whatever Caffe would abort on is collected as a Problem and wiring goes on,
so one run reports every problem of the net.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..net.kind import V0
from ..problems import Problem
from .blobs import Blob
from .netgraph import NetGraph
from .state import HINT, NetState, filter_layers, include_and_exclude_problems, net_state

NO_IN_PLACE = frozenset(("Flatten", "Reshape", "Split"))
# Blob(...) goes through NamedTuple's Python-level __new__; graphs create one per top
# and phase, so they are made directly from the field tuple (same object).
_new_tuple = tuple.__new__
assert Blob._fields == ("name", "version", "producer", "top_index", "in_place", "node"), \
    "graph.build makes Blobs from 6-tuples in this order: update _Wiring._write with the fields"


def resolve_state(net, state) -> NetState:
    """None → the net's own ``state {}``; a phase string → ``Net(file, phase)``; a NetState as is."""
    if state is None:
        return net.state
    if isinstance(state, str):
        return net_state(net, state)
    return state


def build_graph(net, state=None, path: str = "") -> NetGraph:
    """The dataflow graph of ``net`` in ``state`` (see ``resolve_state``); never raises on bad wiring."""
    state = resolve_state(net, state)
    wiring = _wiring_of(net, filter_layers(net, state), path)
    problems = _both_rules_problems(net, path) + wiring.problems
    return NetGraph(net, state, wiring, problems)


def _wiring_of(net, layers: list, path: str) -> "_Wiring":
    """The wiring of exactly these layers, memoized on the net view: it depends on
    nothing else, graphs only read it, and most nets include the same layers in
    TRAIN and TEST (wiring is the bulk of a graph's cost)."""
    key = ("wiring", path, tuple(layers))  # layers hash by identity: no per-layer Python work
    wiring = net.memo.get(key)
    if wiring is None:
        included, aliases = fold_v0_padding(layers)
        wiring = net.memo[key] = _Wiring(net, included, path)
        wiring.aliases = aliases
        wiring.add_net_inputs()
        wiring.add_layers()
    return wiring


def _both_rules_problems(net, path: str) -> list:
    """``include_and_exclude_problems``, once per net view and path (it walks every layer,
    and graphs of every state report the same findings)."""
    key = ("PTX103", path)
    problems = net.memo.get(key)
    if problems is None:
        problems = net.memo[key] = include_and_exclude_problems(net, path)
    return problems


def fold_v0_padding(layers: list) -> tuple:
    """Drop V0 ``padding`` layers as Caffe's V0 upgrade does (UpgradeV0PaddingLayers folds
    each into the ``pad`` of the conv/pool reading it): returns the remaining layers and
    ``{padding top: padding bottom}``, so that the reader's bottom resolves to the padded input."""
    aliases = {}
    kept = []
    for layer in layers:
        if layer.format == V0 and str(layer.raw_type) == "padding" and layer.bottoms and layer.tops:
            aliases[layer.tops[0]] = aliases.get(layer.bottoms[0], layer.bottoms[0])
        else:
            kept.append(layer)
    return kept, aliases


class _Wiring:
    """The state of the walk: latest write per name, what is still unconsumed, findings.

    Who reads each blob version is not recorded here: NetGraph derives it from
    ``bottoms`` on first use, which keeps the per-bottom work to two dict operations."""

    def __init__(self, net, included: list, path: str):
        # The net's layers, not the net: the net memoizes this object (no reference cycle).
        self.layers = net.layers
        self.net_inputs = net.inputs
        self.included = included
        self.by_index = {layer.index: layer for layer in included}
        self.path = path
        self.latest: Dict[str, Blob] = {}
        self.available: Dict[str, Blob] = {}     # Caffe's available_blobs: written, not yet read
        self.versions: Dict[str, List[Blob]] = {}
        self.inputs: List[Blob] = []
        self.bottoms: Dict[int, List[Optional[Blob]]] = {}
        self.tops: Dict[int, List[Blob]] = {}
        self.problems: List[Problem] = []
        self.aliases: Dict[str, str] = {}        # V0 padding tops -> the blob they pad

    def add_net_inputs(self) -> None:
        inputs = self.net_inputs
        self.inputs.extend(self._write_tops(None, [i.name for i in inputs],
                                            [i.node for i in inputs], (), None))

    def add_layers(self) -> None:
        """Wire every included layer in file order: its bottoms read the latest writes,
        its tops write new versions.  Names and nodes are the layer's memos, read
        once per layer (graphs of every state share them)."""
        aliases, latest, available = self.aliases, self.latest, self.available
        bottoms_of, tops_of = self.bottoms, self.tops
        for position, layer in enumerate(self.included):
            index = layer.index
            bottoms = layer.bottoms
            names = bottoms if not aliases else [aliases.get(name, name) for name in bottoms]
            bottoms_of[index] = read = []
            for j, name in enumerate(names):
                blob = latest.get(name)
                if blob is None:
                    self._unknown_bottom(layer, j, layer.bottom_nodes[j], position)
                else:
                    available.pop(name, None)  # a read consumes it (Caffe's available_blobs)
                read.append(blob)
            tops_of[index] = tops = self._write_tops(index, layer.tops, layer.top_nodes,
                                                     bottoms, layer)
            if layer.type == "Input":
                self.inputs.extend(tops)

    def _write_tops(self, producer, names: list, nodes: list, bottoms, layer) -> List[Blob]:
        """A new version of each name; top i is in place when it equals bottom i.
        ``producer`` and ``layer`` are None for the net's ``input:`` fields."""
        latest, available, versions = self.latest, self.available, self.versions
        count = len(bottoms)
        written = []
        for i, name in enumerate(names):
            node = nodes[i]
            in_place = i < count and bottoms[i] == name
            if in_place:
                if layer.type in NO_IN_PLACE:
                    self._in_place_not_allowed(node, layer)
            elif name in latest:
                self._multiple_sources(name, node, layer)
            known = versions.get(name)
            if known is None:
                known = versions[name] = []
            blob = _new_tuple(Blob, (name, len(known), producer, i, in_place, node))
            known.append(blob)
            latest[name] = blob
            available[name] = blob
            written.append(blob)
        return written

    def _in_place_not_allowed(self, node, layer) -> None:
        self.problems.append(Problem.at(
            self.path, node, "PTX105", "in-place-not-allowed",
            f"{layer.type} Layer does not allow in-place computation.{HINT}layer '{layer.name}'"))

    def _unknown_bottom(self, layer, j: int, node, position: int) -> None:
        name = str(node.value)
        message = f"Unknown bottom blob '{name}' (layer '{layer.name}', bottom index {j})"
        later = [other for other in self.included[position:] if name in other.tops]
        if later:
            message += (f"{HINT}it is produced later by layer '{later[0].name}', but Caffe "
                        "needs a blob's producer before its consumers")
        else:
            hidden = [other for other in self.layers
                      if other.index not in self.by_index and name in other.tops]
            if hidden:
                message += (f"{HINT}layer '{hidden[0].name}' produces it but is not "
                            "included in this phase/stage")
        self.problems.append(Problem.at(self.path, node, "PTX101", "unknown-bottom", message))

    def _multiple_sources(self, name: str, node, layer) -> None:
        earlier = self.latest[name]
        if earlier.producer is None:
            hint = "it is already a net input"
        else:
            hint = f"it is already produced by layer '{self.layers[earlier.producer].name}'"
        if layer is not None and name in layer.bottoms:
            hint += "; in-place computation needs the top at the same index as the bottom"
        message = f"Top blob '{name}' produced by multiple sources.{HINT}{hint}"
        self.problems.append(Problem.at(self.path, node, "PTX102", "multiple-producers", message))
