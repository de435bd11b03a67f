"""Judging a few SGD steps per parameter blob (no Caffe needed: the child's numbers given)."""
from __future__ import annotations

from prototxt_tools.api import load
from prototxt_tools.caffe.training import judge_training

NET = load('''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 2 } }
layer { name: "frozen" type: "InnerProduct" bottom: "fc" top: "out"
  param { lr_mult: 0 } param { lr_mult: 0 } inner_product_param { num_output: 2 } }
''').net
TYPES = {"fc": "InnerProduct", "frozen": "InnerProduct"}


def _verdicts(changes, updates=None):
    return {t.name: t for t in judge_training(NET, changes, TYPES, updates)}


def test_every_trainable_blob_must_move():
    verdicts = _verdicts({"fc": [0.0, 0.5], "frozen": [0.0, 0.0]}, {"fc": [0.0, 0.5]})
    assert verdicts["fc"].problem == ("meant to train (lr_mult != 0) but param 0 did not change "
                                      "(the other params did)")
    assert verdicts["frozen"].problem is None and verdicts["frozen"].expected == "frozen"


def test_an_update_float32_rounding_swallowed_still_counts():
    verdicts = _verdicts({"fc": [0.0, 0.5], "frozen": [0.0, 0.0]}, {"fc": [1e-12, 0.5]})
    assert verdicts["fc"].problem is None and verdicts["fc"].changed


def test_nothing_moving_is_no_gradient():
    verdicts = _verdicts({"fc": [0.0, 0.0], "frozen": [0.0, 0.0]})
    assert "no gradient reaches it" in verdicts["fc"].problem


def test_a_frozen_layer_that_moved():
    verdicts = _verdicts({"fc": [0.1, 0.1], "frozen": [0.2, 0.0]})
    assert verdicts["frozen"].problem == "frozen (lr_mult 0 on every param) but its parameters changed"
