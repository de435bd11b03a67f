"""Caffe's own FilterNet tests (upstream src/caffe/test/test_net.cpp) run through ptx's graph.

Each case is a net (with its ``state``) and the net Caffe's FilterNet must leave; ptx's graph
of that state must keep the same layers in the same order.  The cases are read from the
vendored upstream source at test time (tests/upstream_suite.py).
"""
from __future__ import annotations

import pytest

from prototxt_tools.api import load
from upstream_suite import cases, require_tarball

CASES = [pytest.param(case, id=case.id) for case in cases("test_net.cpp", "RunFilterNetTest")]


@pytest.fixture(scope="module")
def classes():
    pytest.importorskip("google.protobuf")
    from prototxt_tools.schema import descriptor_pool_for
    return descriptor_pool_for(None)


def test_upstream_filter_cases_are_found():
    require_tarball()
    assert len(CASES) >= 20, "upstream's test_net.cpp changed shape: update tests/upstream_suite.py"


@pytest.mark.parametrize("case", CASES)
def test_ptx_filters_as_caffe_does(case, classes):
    source, filtered = case.args
    state = classes.parse_text("caffe.NetParameter", source).state   # phase defaults to TEST
    phase = "TRAIN" if state.phase == 0 else "TEST"
    graph = load(source).graph(phase, state.level, list(state.stage))
    expected = [layer.name for layer in classes.parse_text("caffe.NetParameter", filtered).layer]
    assert [layer.name for layer in graph.layers()] == expected
