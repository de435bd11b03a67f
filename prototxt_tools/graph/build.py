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
    included, aliases = fold_v0_padding(filter_layers(net, state))
    wiring = _Wiring(net, included, path)
    wiring.aliases = aliases
    wiring.add_net_inputs()
    for position, layer in enumerate(included):
        wiring.add_layer(position, layer)
    problems = include_and_exclude_problems(net, path) + wiring.problems
    return NetGraph(net, state, included, wiring, problems)


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
    """The state of the walk: latest write per name, what is still unconsumed, findings."""

    def __init__(self, net, included: list, path: str):
        self.net = net
        self.included = included
        self.included_ids = {layer.index for layer in included}
        self.path = path
        self.latest: Dict[str, Blob] = {}
        self.available: Dict[str, Blob] = {}     # Caffe's available_blobs: written, not yet read
        self.versions: Dict[str, List[Blob]] = {}
        self.inputs: List[Blob] = []
        self.bottoms: Dict[int, List[Optional[Blob]]] = {}
        self.tops: Dict[int, List[Blob]] = {}
        self.readers: Dict[str, list] = {}       # blob key -> [(layer index, bottom index)]
        self.problems: List[Problem] = []
        self.aliases: Dict[str, str] = {}        # V0 padding tops -> the blob they pad

    def add_net_inputs(self) -> None:
        for i, net_input in enumerate(self.net.inputs):
            blob = self._write(net_input.name, None, i, False, net_input.node, None)
            self.inputs.append(blob)

    def add_layer(self, position: int, layer) -> None:
        """Wire one layer: its bottoms read the latest writes, its tops write new versions.

        Names and nodes come from the layer's memoized ``wiring``, read once
        here (graphs of both phases share it)."""
        index = layer.index
        bottoms, bottom_nodes, top_names, top_nodes = layer.wiring
        self.bottoms[index] = [self._read(layer, j, node, position, name)
                               for j, (node, name) in enumerate(zip(bottom_nodes, bottoms))]
        tops = []
        for i, (node, name) in enumerate(zip(top_nodes, top_names)):
            in_place = i < len(bottoms) and bottoms[i] == name
            tops.append(self._write(name, index, i, in_place, node, layer))
        self.tops[index] = tops
        if layer.type == "Input":
            self.inputs.extend(tops)

    def _read(self, layer, j: int, node, position: int, name: str) -> Optional[Blob]:
        if self.aliases:
            name = self.aliases.get(name, name)
        blob = self.latest.get(name)
        if blob is None:
            self._unknown_bottom(layer, j, node, position)
            return None
        self.available.pop(name, None)
        readers = self.readers.get(blob.key)
        if readers is None:
            readers = self.readers[blob.key] = []
        readers.append((layer.index, j))
        return blob

    def _write(self, name: str, producer, i: int, in_place: bool, node, layer) -> Blob:
        latest = self.latest
        if not in_place and name in latest:
            self._multiple_sources(name, node, layer)
        if in_place and layer is not None and layer.type in NO_IN_PLACE:
            self.problems.append(Problem.at(
                self.path, node, "PTX105", "in-place-not-allowed",
                f"{layer.type} Layer does not allow in-place computation.{HINT}layer '{layer.name}'"))
        versions = self.versions.get(name)
        if versions is None:
            versions = self.versions[name] = []
        blob = Blob(name, len(versions), producer, i, in_place, node)
        versions.append(blob)
        latest[name] = blob
        self.available[name] = blob
        return blob

    def _unknown_bottom(self, layer, j: int, node, position: int) -> None:
        name = str(node.value)
        message = f"Unknown bottom blob '{name}' (layer '{layer.name}', bottom index {j})"
        later = [other for other in self.included[position:] if name in other.tops]
        if later:
            message += (f"{HINT}it is produced later by layer '{later[0].name}', but Caffe "
                        "needs a blob's producer before its consumers")
        else:
            hidden = [other for other in self.net.layers
                      if other.index not in self.included_ids and name in other.tops]
            if hidden:
                message += (f"{HINT}layer '{hidden[0].name}' produces it but is not "
                            "included in this phase/stage")
        self.problems.append(Problem.at(self.path, node, "PTX101", "unknown-bottom", message))

    def _multiple_sources(self, name: str, node, layer) -> None:
        earlier = self.latest[name]
        if earlier.producer is None:
            hint = "it is already a net input"
        else:
            hint = f"it is already produced by layer '{self.net.layers[earlier.producer].name}'"
        if layer is not None and name in layer.bottoms:
            hint += "; in-place computation needs the top at the same index as the bottom"
        message = f"Top blob '{name}' produced by multiple sources.{HINT}{hint}"
        self.problems.append(Problem.at(self.path, node, "PTX102", "multiple-producers", message))
