"""Every corpus net that parses builds a graph in TRAIN and TEST, with Caffe's invariants."""
from __future__ import annotations

import pytest

from corpus import params
from prototxt_tools.graph import build_graph, net_state
from prototxt_tools.net import Net
from prototxt_tools.syntax import ParseError, parse


def _net(corpus_file) -> Net:
    try:
        return Net(parse(corpus_file.path.read_text(encoding="utf-8", errors="replace")))
    except ParseError as exc:
        pytest.skip(f"does not parse: {exc}")


def _check_invariants(graph) -> None:
    import networkx as nx
    assert nx.is_directed_acyclic_graph(graph.graph)
    for layer in graph.layers():
        for j, blob in enumerate(graph.bottom_blobs(layer)):
            if blob is None:
                assert any(p.code == "PTX101" for p in graph.problems)
                continue
            assert blob.name == graph.aliases.get(layer.bottoms[j], layer.bottoms[j])
            assert blob.producer is None or blob.producer < layer.index
    read = {key for layer in graph.layers() for key in
            (b.key for b in graph.bottom_blobs(layer) if b is not None)}
    for blob in graph.outputs:
        assert graph.blobs(blob.name)[-1] == blob          # only the latest write can be an output
        assert blob.key not in read


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net"), indirect=True)
def test_graph_builds_in_both_phases(corpus_file):
    net = _net(corpus_file)
    for phase in ("TRAIN", "TEST"):
        graph = build_graph(net, net_state(net, phase), corpus_file.rel)
        assert len(graph.layers()) <= len(net.layers)
        _check_invariants(graph)
