"""Queries over a wired net: producers, consumers, in-place chains, reachability.

Nodes of ``graph`` (a ``networkx.DiGraph``) are layer indices (file order)
with the Layer view under ``"layer"``; an edge producer → consumer carries
``blobs``, the list of ``(blob key, bottom index)`` it transports, and
``blob``, the first of those keys.  Net-level ``input:`` blobs have no producer node.
"""
from __future__ import annotations

from typing import List, Optional, Union

from .blobs import Blob


def _index(layer) -> int:
    return layer if isinstance(layer, int) else layer.index


class NetGraph:
    """A net in one state: included layers, versioned blobs, problems (never raised)."""

    def __init__(self, net, state, wiring, problems: list):
        self.net = net
        self.state = state
        self.problems = problems
        # ``wiring`` may be shared with graphs of other states that include the same
        # layers: its containers are only read here, and the public ones are copied.
        self.inputs: List[Blob] = list(wiring.inputs)
        self.outputs: List[Blob] = list(wiring.available.values())
        self._included = wiring.included
        self._by_index = wiring.by_index  # {layer index: layer} of ``included``
        self._bottoms = wiring.bottoms
        self._tops = wiring.tops
        self._readers = None  # blob key -> [(layer index, bottom index)], see _reader_map
        self._versions = wiring.versions
        self.aliases = dict(wiring.aliases)  # V0 padding tops -> the blob Caffe reads instead
        self._digraph = None

    @property
    def graph(self):
        """The ``networkx.DiGraph`` view, built on first use: importing networkx costs
        more than parsing a large net, and ``ptx show`` never needs it."""
        if self._digraph is None:
            self._digraph = _to_networkx(self._included, self._bottoms)
        return self._digraph

    # --- layers and blobs -------------------------------------------------
    def layers(self) -> list:
        """Included layers in file order."""
        return list(self._included)

    def layer(self, index: int):
        return self._by_index[index]

    def __contains__(self, layer) -> bool:
        return _index(layer) in self._by_index

    def blobs(self, name: Optional[str] = None) -> List[Blob]:
        """Every write of ``name`` (all blobs when None), oldest first."""
        if name is not None:
            return list(self._versions.get(name, ()))
        return [blob for versions in self._versions.values() for blob in versions]

    def bottom_blobs(self, layer) -> List[Optional[Blob]]:
        """What each bottom of ``layer`` reads (None where the name is unknown)."""
        return list(self._bottoms[_index(layer)])

    def top_blobs(self, layer) -> List[Blob]:
        return list(self._tops[_index(layer)])

    def producer(self, layer, bottom_index: int) -> Optional[Blob]:
        """The blob version bottom ``bottom_index`` of ``layer`` reads (latest earlier write)."""
        return self._bottoms[_index(layer)][bottom_index]

    def producer_layer(self, layer, bottom_index: int):
        blob = self.producer(layer, bottom_index)
        return None if blob is None or blob.producer is None else self._by_index[blob.producer]

    def readers(self, blob: Blob) -> list:
        """``(layer, bottom index)`` pairs reading exactly this version of the blob."""
        return [(self._by_index[i], j) for i, j in self._reader_map().get(blob.key, ())]

    def consumers(self, layer, top_index: Optional[int] = None) -> list:
        """Layers reading any top of ``layer`` (or only top ``top_index``), in file order."""
        tops = self._tops[_index(layer)]
        chosen = tops if top_index is None else [tops[top_index]]
        readers = self._reader_map()
        indices = {i for blob in chosen for i, _ in readers.get(blob.key, ())}
        return [self._by_index[i] for i in sorted(indices)]

    def _reader_map(self) -> dict:
        """``{blob key: [(layer index, bottom index)]}`` in file order, built on first use
        from the bottoms (building graphs is hot; asking who reads a blob is rare)."""
        if self._readers is None:
            readers = {}
            for layer in self._included:
                index = layer.index
                for j, blob in enumerate(self._bottoms[index]):
                    if blob is not None:
                        readers.setdefault(blob.key, []).append((index, j))
            self._readers = readers
        return self._readers

    # --- in-place chains --------------------------------------------------
    def in_place_chain(self, layer, top_index: int = 0) -> list:
        """The original writer of top ``top_index``'s name and every in-place layer
        rewriting it after (e.g. conv → bn → scale → relu), wherever ``layer`` sits in it."""
        blob = self._tops[_index(layer)][top_index]
        while blob.in_place:
            earlier = self._bottoms[blob.producer][blob.top_index]
            if earlier is None:
                break
            blob = earlier
        chain = [] if blob.producer is None else [self._by_index[blob.producer]]
        for later in self._versions[blob.name][blob.version + 1:]:
            if not later.in_place or self._bottoms[later.producer][later.top_index] != blob:
                break
            chain.append(self._by_index[later.producer])
            blob = later
        return chain

    # --- reachability -----------------------------------------------------
    def upstream(self, layer) -> list:
        """Every layer ``layer`` depends on, in file order."""
        import networkx as nx
        return self._sorted(nx.ancestors(self.graph, _index(layer)))

    def downstream(self, layer) -> list:
        """Every layer depending on ``layer``, in file order."""
        import networkx as nx
        return self._sorted(nx.descendants(self.graph, _index(layer)))

    def loss_layers(self) -> list:
        """Layers with a loss: explicit non-zero ``loss_weight``, or a ``*Loss`` type
        without explicit weights (LossLayer's implicit ``loss_weight: 1``)."""
        return [layer for layer in self._included if _has_loss(layer)]

    def feeding_loss(self) -> list:
        """Loss layers and every layer some loss depends on, in file order."""
        import networkx as nx
        indices = set()
        for loss in self.loss_layers():
            indices.add(loss.index)
            indices |= nx.ancestors(self.graph, loss.index)
        return self._sorted(indices)

    def learnable_layers_reaching_loss(self) -> list:
        """``learnable_layers`` whose output reaches a loss (the ones a gradient reaches)."""
        feeding = {layer.index for layer in self.feeding_loss()}
        return [layer for layer in self.learnable_layers() if layer.index in feeding]

    def learnable_layers(self) -> list:
        """Layers with learnable blobs, in file order: what training updates.  Reaching a
        loss does not matter (a deploy net ends in a Softmax, and weight decay moves a blob
        that gets no gradient).  A layer of unknown blob count (Python, fork types) counts
        if it has ``param {}`` specs."""
        from ..net.blobs import learnable_blob_count
        out = []
        for layer in self._included:
            count = learnable_blob_count(layer)
            if (count is None and layer.params) or (count or 0) > 0:
                out.append(layer)
        return out

    def _sorted(self, indices) -> list:
        return [self._by_index[i] for i in sorted(indices)]

    def __repr__(self) -> str:
        return (f"NetGraph({self.state}, {len(self._included)} layers, "
                f"{len(self.problems)} problems)")


def _has_loss(layer) -> bool:
    weights = layer.loss_weight
    if weights:
        return any(isinstance(w, float) and w != 0.0 for w in weights)
    return layer.type.endswith("Loss")


def _to_networkx(included: list, bottoms: dict):
    import networkx as nx
    graph = nx.DiGraph()
    for layer in included:
        graph.add_node(layer.index, layer=layer)
    for layer in included:
        for j, blob in enumerate(bottoms[layer.index]):
            if blob is None or blob.producer is None:
                continue
            if graph.has_edge(blob.producer, layer.index):
                graph.edges[blob.producer, layer.index]["blobs"].append((blob.key, j))
            else:
                graph.add_edge(blob.producer, layer.index, blob=blob.key, blobs=[(blob.key, j)])
    return graph
