"""CTC sequence recognisers: N characters + the blank (found by the sweep: crnn.caffe and
caffe_ocr nets were 'classification', fc 11 -> N with alphabet_size 11 and the blank left
as they were -- the loss then reads past the scores or takes a character for the blank)."""
from __future__ import annotations

import prototxt_tools

HEAD = """
layer { name: "data" type: "Input" top: "data" top: "label"
        input_param { shape { dim: 4 dim: 2 dim: 8 } shape { dim: 2 dim: 4 } } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"
        inner_product_param { num_output: 11 axis: 2 } }
"""
CRNN = HEAD + """
layer { name: "ctc_loss" type: "CtcLoss" bottom: "fc" bottom: "label" top: "ctc_loss"
        loss_weight: 1 ctc_loss_param { blank_label: 10 alphabet_size: 11 time_step: 4 } }
layer { name: "permuted" type: "Permute" bottom: "fc" top: "permuted" }
layer { name: "accuracy" type: "LabelsequenceAccuracy" bottom: "permuted" bottom: "label"
        top: "accuracy" labelsequence_accuracy_param { blank_label: 10 } }
"""
WARP = HEAD + """
layer { name: "ctc" type: "WarpCTCLoss" bottom: "fc" bottom: "label" top: "ctc" loss_weight: 1 }
"""
DEPLOY = HEAD + 'layer { name: "result" type: "CTCGreedyDecoder" bottom: "fc" top: "result" }\n'


def _changes(text, n=4):
    return prototxt_tools.edit(text, [("replace_head", {"n": n})]).changes


def test_the_blank_is_one_more_output_and_the_loss_knows_the_alphabet():
    changes = _changes(CRNN)
    assert changes[0] == "ctc net: 4 classes"
    assert "'fc_new': num_output 11 -> 5 (4 classes + the CTC blank)" in changes
    assert "'ctc_loss': alphabet_size 11 -> 5 (4 classes + the CTC blank)" in changes
    assert "'ctc_loss': blank_label 10 -> 4 (the blank stays the last index)" in changes
    assert "'accuracy': blank_label 10 -> 4 (the blank stays the last index)" in changes


def test_a_blank_at_index_0_stays_there():
    changes = _changes(WARP)
    assert "'fc_new': num_output 11 -> 5 (4 classes + the CTC blank)" in changes
    assert not [c for c in changes if "blank_" in c]


def test_a_deploy_net_is_known_by_its_decoder():
    assert "'fc_new': num_output 11 -> 5 (4 classes + the CTC blank)" in _changes(DEPLOY)
