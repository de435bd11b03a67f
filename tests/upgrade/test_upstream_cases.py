"""Caffe's own upgrade tests (upstream src/caffe/test/test_upgrade_proto.cpp) run through ptx.

RunV1UpgradeTest(V1 net, V2 net): ptx's upgrade of the V1 net must be the V2 net.
RunV0UpgradeTest(V0 net, V1 net) and RunPaddingUpgradeTest(V0 net with padding layers, V0 net
without): ptx upgrades both sides to V2 and they must be equal (the V1 -> V2 step is the one
the V1 cases pin down).  Compared as protobuf messages; cases read from the vendored source.
"""
from __future__ import annotations

import pytest

from prototxt_tools.upgrade import upgrade_text
from upstream_suite import cases, require_tarball

FILE = "test_upgrade_proto.cpp"
CASES = [pytest.param(case, id=f"{case.runner}-{case.id}")
         for runner in ("RunV1UpgradeTest", "RunV0UpgradeTest", "RunPaddingUpgradeTest")
         for case in cases(FILE, runner)]


@pytest.fixture(scope="module")
def classes():
    pytest.importorskip("google.protobuf")
    from prototxt_tools.schema import descriptor_pool_for
    return descriptor_pool_for(None)


def test_upstream_upgrade_cases_are_found():
    require_tarball()
    assert len(CASES) >= 8, "upstream's test_upgrade_proto.cpp changed: update tests/upstream_suite.py"


@pytest.mark.parametrize("case", CASES)
def test_ptx_upgrades_as_caffe_does(case, classes):
    source, expected = case.args
    ours = classes.parse_text("caffe.NetParameter", upgrade_text(source).text)
    if case.runner != "RunV1UpgradeTest":
        expected = upgrade_text(expected).text
    assert ours == classes.parse_text("caffe.NetParameter", expected)
