"""Every corpus net-phase through real Caffe (data layers swapped for Input layers).

Where Caffe builds the net, ptx's graph of that phase must have the same layers in
the same order (Caffe's auto-inserted ``*_split`` layers aside) and the same net
outputs.  Where it does not, Caffe's message must still be the one recorded in
caffe_verdicts.json (regenerate with ``python3 tests/caffe/oracle.py --write``).
All verdicts are computed once per session in a pool of child processes.
"""
from __future__ import annotations

import json

import pytest

from corpus import files_of, require_corpus
from prototxt_tools.api import load
from prototxt_tools.caffe.datashapes import is_data_layer
from prototxt_tools.net.kind import V0

from .oracle import PHASES, RECORD, all_verdicts, key, recorded

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]
CASES = [pytest.param(entry, phase, id=key(entry.rel, phase))
         for entry in files_of("net") for phase in PHASES] or [pytest.param(None, None)]


@pytest.fixture(scope="session")
def verdicts(pycaffe):
    return all_verdicts()


@pytest.fixture(scope="session")
def record():
    return json.loads(RECORD.read_text()) if RECORD.is_file() else {}


def test_record_covers_the_corpus(verdicts, record):
    require_corpus()
    assert sorted(record) == sorted(verdicts), "regenerate: python3 tests/caffe/oracle.py --write"


@pytest.mark.parametrize("entry, phase", CASES)
def test_caffe_verdict_is_recorded(verdicts, record, entry, phase):
    require_corpus()
    name = key(entry.rel, phase)
    assert recorded(verdicts[name]) == record.get(name)


@pytest.mark.parametrize("entry, phase", CASES)
def test_ptx_graph_matches_caffe(verdicts, entry, phase):
    require_corpus()
    verdict = verdicts[key(entry.rel, phase)]
    if verdict["verdict"] != "builds":
        pytest.skip(f"Caffe {verdict['verdict']}: {verdict['message'][:120]}")
    ptx_file = load(str(entry.path))
    graph = ptx_file.graph(phase)
    caffe_layers = [name for name, kind in verdict["layers"] if kind != "Split"]
    ptx_layers = [layer.name for layer in graph.layers()]
    v0_swapped = ptx_file.format == V0 and any(map(is_data_layer, ptx_file.net.layers))
    if v0_swapped:
        # V0 has no Input layer type: the swapped data layer became a net-level input.
        ptx_layers = [n for n in ptx_layers if not is_data_layer(graph_layer(graph, n))]
    if ptx_file.net.inputs or v0_swapped:
        caffe_layers = [n for n in caffe_layers if n != "input"]  # Caffe's name for net inputs
    assert ptx_layers == caffe_layers
    assert sorted(blob.name for blob in graph.outputs) == sorted(verdict["outputs"])


def graph_layer(graph, name: str):
    return next(layer for layer in graph.layers() if layer.name == name)
