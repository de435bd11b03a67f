"""The checks' verdicts: what fails a job and what is only noted."""
from __future__ import annotations

from prototxt_tools.caffe.training import FROZEN, TRAINS, LayerTraining
from prototxt_tools.finetuning.checks import _training_line, heads_check


class _Run:
    def __init__(self, training, layers=3):
        self.training, self.layers = training, [("l", "t")] * layers


def _line(training, heads=("fc_new",)):
    runs = [("TRAIN", _Run(training)), ("TEST", _Run(None)), ("deploy", _Run(None))]
    return _training_line(runs, 2, heads)


def test_frozen_still_and_head_moving_passes():
    line = _line([LayerTraining("conv", "Convolution", [0, 0], [0, 0], FROZEN),
                  LayerTraining("fc_new", "InnerProduct", [10, 20], [0.1, 0.2], TRAINS)])
    assert line.status == "ok" and "1 frozen layers still, 1 trained layers moved (fc_new)" in line.summary


def test_a_head_that_did_not_move_fails_a_quiet_backbone_layer_is_noted():
    quiet = LayerTraining("conv", "Convolution", [1, 2], [0, 0], TRAINS,
                          problem="meant to train but did not change")
    head = LayerTraining("fc_new", "InnerProduct", [10, 20], [0, 0], TRAINS, problem="...")
    assert _line([quiet, head]).failed
    line = _line([quiet, LayerTraining("fc_new", "InnerProduct", [10, 20], [1, 1], TRAINS)])
    assert line.status == "ok" and "not judged" in line.details[0]


def test_a_frozen_layer_that_moved_fails():
    moved = LayerTraining("conv", "Convolution", [0, 0], [0.5, 0], FROZEN, problem="changed")
    assert _line([moved, LayerTraining("fc_new", "InnerProduct", [10, 20], [1, 1], TRAINS)]).failed


NET = """layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 4 } shape { dim: 1 } } }
layer { name: "side" type: "InnerProduct" bottom: "data" top: "side" inner_product_param { num_output: 2 } }
layer { name: "fc_new" type: "InnerProduct" bottom: "data" top: "fc_new"
  param { lr_mult: LR } param { lr_mult: LR } inner_product_param { num_output: 3 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc_new" bottom: "label" top: "loss" }
"""


def test_heads_must_learn_and_no_branch_may_dangle(tmp_path):
    path = tmp_path / "net.prototxt"
    path.write_text(NET.replace("LR", "0"))
    assert "frozen" in heads_check(str(path), ["fc_new"]).summary
    path.write_text(NET.replace("LR", "10"))
    dangling = heads_check(str(path), ["fc_new"])
    assert dangling.failed and dangling.summary.startswith("side would train but reach no loss")
    path.write_text(NET.replace("LR", "10").replace('num_output: 2 }', 'num_output: 2 }\n'
                                                    '  param { lr_mult: 0 } param { lr_mult: 0 }'))
    assert heads_check(str(path), ["fc_new"]).status == "ok"
    assert heads_check(str(path), []).failed
