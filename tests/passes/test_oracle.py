"""Oracle tier: edited nets in real Caffe (pycaffe in a child process, via
``prototxt_tools.caffe.check_net``).

- every golden result instantiates in TRAIN and TEST;
- after a few SGD steps on random data, frozen parameters are bit-identical and
  the new head changed;
- a head renamed by replace_head is not copied from a caffemodel Caffe wrote for
  the original net, while every other learnable layer is.
"""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.caffe.runner import pycaffe_path

from .cases import CASES, EDIT, FLICKR, TINY

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(pycaffe_path() is None, reason="pycaffe not importable: build it "
                       "with tools/build-caffe.sh or set PTX_CAFFE_PREFIX"),
]


def _check(text, **kwargs):
    from prototxt_tools.caffe.check import check_net
    return check_net(text, timeout=300.0, **kwargs)


def _golden(name: str) -> str:
    with open(EDIT / name, newline="", encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("golden", [c[0] for c in CASES] + ["flickr"])
@pytest.mark.parametrize("phase", ["TRAIN", "TEST"])
def test_edited_nets_instantiate(golden, phase):
    text = FLICKR[0].read_text() if golden == "flickr" else _golden(golden)
    result = _check(text, phase=phase)
    assert result.fatal is None, result.fatal


@pytest.mark.parametrize("golden,frozen,trained", [
    ("feature_extractor.prototxt", {"conv1", "bn1", "scale1", "conv2", "conv2b"}, {"fc"}),
    ("combined.prototxt", {"conv1", "bn1", "scale1", "conv2", "conv2b"}, {"fc_pets"}),
    ("early_features.prototxt", {"conv1", "bn1", "scale1"}, {"fc"}),
    ("freeze.prototxt", {"conv1", "bn1", "scale1", "conv2"}, {"fc"}),
])
def test_frozen_stay_bit_identical_and_head_trains(golden, frozen, trained):
    result = _check(_golden(golden), train_steps=3)
    assert result.fatal is None, result.fatal
    deltas = {t.name: t.deltas for t in result.training}
    for name in frozen:
        assert deltas[name] and all(d == 0.0 for d in deltas[name]), (name, deltas[name])
    for name in trained:
        assert any(d > 0.0 for d in deltas[name]), (name, deltas[name])
    # (layers below the head may get gradients too small to move float32 weights in
    # three steps on random data, so only frozen and head layers are asserted)
    for verdict in result.training:
        if verdict.expected == "frozen":
            assert verdict.problem is None, verdict


def test_renamed_head_is_not_copied_every_other_layer_is(tmp_path):
    weights = str(tmp_path / "original.caffemodel")
    original = TINY.read_text()
    assert _check(original, save_weights=weights).fatal is None
    edited = prototxt_tools.edit(original, [("replace_head", {"n": 5})]).text
    report = _check(edited, weights=weights).weights
    learnable = {"conv1", "bn1", "scale1", "conv2", "conv2b"}
    assert learnable <= set(report.copied)
    assert "fc_new" in report.not_in_weights and "fc_new" not in report.copied
    assert "fc" in report.ignored


def test_num_output_alone_breaks_the_copy_as_caffe_says(tmp_path):
    """The control: same change without the rename, and Caffe refuses the weights."""
    weights = str(tmp_path / "original.caffemodel")
    original = TINY.read_text()
    assert _check(original, save_weights=weights).fatal is None
    edited = prototxt_tools.edit(original, [("num_output", {"layer": "fc", "n": 5})]).text
    fatal = _check(edited, weights=weights).fatal
    assert fatal is not None and "Cannot copy param 0 weights from layer 'fc'" in fatal.message
