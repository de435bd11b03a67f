"""Real Caffe (pycaffe) decides which layers exist and what the outputs are; ptx must agree.

Caffe runs in a subprocess: a failed CHECK aborts the whole process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import REPO
from tests.conftest import caffe_env as make_caffe_env
from prototxt_tools.graph import build_graph, net_state
from prototxt_tools.graph.state import HINT
from prototxt_tools.net import Net
from prototxt_tools.syntax import parse

FIXTURES = REPO / "fixtures" / "graph"
STATES = [("TRAIN", 0, []), ("TEST", 0, []), ("TEST", 1, ["val"]), ("TEST", 0, ["deploy"]),
          ("TRAIN", 2, ["val", "deploy"])]
SPLIT_SUFFIX = "_split"

_CAFFE_SCRIPT = """
import json, sys
import caffe
path, states = sys.argv[1], json.loads(sys.argv[2])
out = []
for phase, level, stages in states:
    net = caffe.Net(path, getattr(caffe, phase), level=level, stages=stages)
    out.append({"layers": list(net._layer_names), "outputs": list(net.outputs)})
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def caffe_env(pycaffe):
    return make_caffe_env(pycaffe)


def _run_caffe(path: Path, env: dict) -> list:
    done = subprocess.run([sys.executable, "-c", _CAFFE_SCRIPT, str(path), json.dumps(STATES)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"Caffe failed on {path.name}:\n{done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.oracle
@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("oracle_*.prototxt")))
def test_layers_and_outputs_match_caffe(fixture, caffe_env):
    path = FIXTURES / fixture
    net = Net(parse(path.read_text()))
    for (phase, level, stages), caffe_view in zip(STATES, _run_caffe(path, caffe_env)):
        graph = build_graph(net, net_state(net, phase, level, tuple(stages)))
        expected_layers = [n for n in caffe_view["layers"] if not n.endswith(SPLIT_SUFFIX)]
        assert [layer.name for layer in graph.layers()] == expected_layers, (phase, level, stages)
        # Caffe lists outputs from a std::set, i.e. sorted by name.
        assert sorted(b.name for b in graph.outputs) == caffe_view["outputs"], (phase, level, stages)
        assert graph.problems == []


@pytest.mark.oracle
@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("broken_*.prototxt")))
def test_caffe_aborts_with_the_message_ptx_reports(fixture, caffe_env):
    path = FIXTURES / fixture
    graph = build_graph(Net(parse(path.read_text())), "TEST")
    assert graph.problems, "ptx found nothing wrong"
    done = subprocess.run([sys.executable, "-c", _CAFFE_SCRIPT, str(path), json.dumps([STATES[1]])],
                          env=caffe_env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    caffe_text = graph.problems[0].message.split(HINT)[0]
    assert caffe_text in done.stderr
