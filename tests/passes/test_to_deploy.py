"""--to-deploy writes what the BVLC deploy files hold (issue 13 item 8): batch 1 unless
--input-shape says otherwise, the output Softmax named ``prob``, no training-only
multipliers or fillers; checked against BVLC's own deploy files with ``ptx diff``."""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.diff import compare_files

from .cases import CAFFENET, TINY

PAIRS = [("files/BVLC__caffe/models/bvlc_reference_caffenet/train_val.prototxt",
          "files/BVLC__caffe/models/bvlc_reference_caffenet/deploy.prototxt", (10, 3, 227, 227)),
         ("files/forresti__SqueezeNet/SqueezeNet_v1.1/train_val.prototxt",
          "files/forresti__SqueezeNet/SqueezeNet_v1.1/deploy.prototxt", (10, 3, 227, 227))]


@pytest.mark.parametrize("train_val,deploy,shape", PAIRS, ids=[p[1] for p in PAIRS])
def test_deploy_of_a_train_val_is_the_published_deploy(train_val, deploy, shape):
    require_corpus()
    outcome = prototxt_tools.edit(str(CORPUS / train_val), [("to_deploy", {"input_shape": shape})])
    result = compare_files(str(CORPUS / deploy), outcome.text)
    assert [(d.status, d.b or d.a) for d in result.layers if d.status != "same"] == []


def test_batch_one_prob_and_no_training_blocks():
    outcome = prototxt_tools.edit(str(CAFFENET), [("to_deploy", {})])
    deploy = prototxt_tools.load(outcome.text)
    data = deploy.net.layer_by_name("data")[0]
    assert "dim: 1 dim: 3 dim: 227 dim: 227" in data.node.render()
    prob = deploy.net.layer_by_name("prob")[0]
    assert prob.type == "Softmax" and prob.tops == ["prob"]
    assert "lr_mult" not in outcome.text and "filler" not in outcome.text
    assert any("training-only" in c for c in outcome.changes)


def test_a_named_shared_param_keeps_its_name():
    outcome = prototxt_tools.edit(str(TINY), [("to_deploy", {})])
    assert outcome.text.count("param { name: 'conv2_w' }") == 2
    assert "lr_mult" not in outcome.text


def test_a_replaced_data_layer_is_not_also_reported_dropped(tmp_path):
    net = tmp_path / "net.prototxt"
    net.write_text('layer { name: "data" type: "Data" top: "data" top: "label"\n'
                   '  data_param { source: "x" batch_size: 8 } transform_param { crop_size: 28 } }\n'
                   'layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"\n'
                   '  inner_product_param { num_output: 10 } }\n'
                   'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }\n')
    outcome = prototxt_tools.edit(str(net), [("to_deploy", {"input_shape": (1, 3, 28, 28)})])
    assert any("replaces Data 'data'" in c for c in outcome.changes)
    assert not any(c.startswith("dropped") for c in outcome.changes), outcome.changes
    assert prototxt_tools.load(outcome.text).net.layer_by_name("prob")[0].tops == ["prob"]


def test_a_data_layer_of_the_other_phase_is_reported_dropped():
    outcome = prototxt_tools.edit(str(CAFFENET), [("to_deploy", {})])
    dropped = [c for c in outcome.changes if c.startswith("dropped")]
    assert dropped and "data" in dropped[0] and "accuracy" in dropped[0], outcome.changes
