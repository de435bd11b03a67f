"""PTX507 against real Caffe: the sharing checks' messages are the ones Caffe aborts with."""
from __future__ import annotations

import pytest

from prototxt_tools.caffe.check import check_net
from prototxt_tools.lint import LintConfig, lint_source

from .cases import SHARED

pytestmark = pytest.mark.oracle
NETS = {
    "shape": SHARED,
    "count": SHARED.replace('name: "w" }', 'name: "w" share_mode: PERMISSIVE }'),
    "lr_mult": SHARED.replace("num_output: 8", "num_output: 4")
                     .replace('name: "w" }', 'name: "w" lr_mult: 2 }'),
    "decay_mult": SHARED.replace("num_output: 8", "num_output: 4")
                        .replace('name: "w" lr_mult: 1 }', 'name: "w" decay_mult: 1 }')
                        .replace('name: "w" }', 'name: "w" decay_mult: 0 }'),
}


@pytest.mark.parametrize("kind", sorted(NETS))
def test_caffe_aborts_with_the_message_ptx_gives(pycaffe, tmp_path, kind):
    path = tmp_path / "net.prototxt"
    path.write_text(NETS[kind])
    found = lint_source(NETS[kind], str(path), LintConfig(select=["PTX507"]))
    assert len(found) == 1, found
    fatal = check_net(str(path)).fatal
    assert fatal is not None and fatal.where.startswith("net.cpp")
    assert found[0].message.split(" -- ")[0] == fatal.message


def test_caffe_builds_the_near_miss(pycaffe, tmp_path):
    path = tmp_path / "net.prototxt"
    path.write_text(SHARED.replace("num_output: 8", "num_output: 4"))
    assert check_net(str(path)).fatal is None
