"""Heads whose count follows a target, not the classes: regression, embedding,
reconstruction, one-output sigmoid maps; and joined net outputs (found by the sweep:
linreg, mnist_autoencoder, the siamese net, HED and OpenPose were 'classification')."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.errors import PtxError

DATA = """
layer { name: "data" type: "Input" top: "data" top: "label" top: "target"
        input_param { shape { dim: 4 dim: 8 } shape { dim: 4 } shape { dim: %d } } }
"""


def _ip(name, bottom, n):
    return (f'layer {{ name: "{name}" type: "InnerProduct" bottom: "{bottom}" top: "{name}" '
            f'inner_product_param {{ num_output: {n} }} }}\n')


def _loss(kind, bottom, target, extra=""):
    return (f'layer {{ name: "loss_{bottom}" type: "{kind}" bottom: "{bottom}" '
            f'bottom: "{target}" {extra}}}\n')


def _edit(text):
    return prototxt_tools.edit(text, [("replace_head", {"n": 3})])


@pytest.mark.parametrize("kind,learns", [("EuclideanLoss", "a regression"),
                                         ("ContrastiveLoss", "an embedding")])
def test_a_regression_or_embedding_head_is_refused_saying_why(kind, learns):
    bottoms = 'bottom: "label" ' if kind == "ContrastiveLoss" else ""
    text = DATA % 5 + _ip("fc", "data", 5) + _loss(kind, "fc", "target", bottoms)
    with pytest.raises(PtxError, match=f"'fc' feeds {kind} 'loss_fc': {learns}, .* -- not "
                                       f"class scores") as caught:
        _edit(text)
    assert "\n" not in str(caught.value)


def test_a_weightless_regression_still_ties_the_head():
    """mnist_autoencoder: EuclideanLoss with loss_weight 0 is a readout, not a loss."""
    text = DATA % 5 + _ip("fc", "data", 5) + _loss("EuclideanLoss", "fc", "target",
                                                   "loss_weight: 0 ")
    with pytest.raises(PtxError, match="a regression"):
        _edit(text)


def test_a_reconstruction_of_the_input_is_not_classes():
    text = (DATA % 5 + 'layer { name: "flat" type: "Flatten" bottom: "data" top: "flat" }\n'
            + _ip("enc", "data", 2) + _ip("dec", "enc", 8)
            + _loss("SigmoidCrossEntropyLoss", "dec", "flat"))
    with pytest.raises(PtxError, match="'dec' feeds SigmoidCrossEntropyLoss 'loss_dec': a "
                                       "reconstruction of its own input"):
        _edit(text)


def test_a_one_output_sigmoid_map_is_not_classes():
    text = DATA % 1 + _ip("edge", "data", 1) + _loss("SigmoidCrossEntropyLoss", "edge", "target")
    with pytest.raises(PtxError, match="a one-output \\(yes/no\\) sigmoid map"):
        _edit(text)


def test_multi_label_sigmoid_scores_are_classes():
    text = DATA % 5 + _ip("fc", "data", 5) + _loss("SigmoidCrossEntropyLoss", "fc", "target")
    assert "'fc_new': num_output 5 -> 3" in _edit(text).changes


def test_a_classifier_beside_a_regression_is_replaced_alone():
    text = (DATA % 4 + _ip("cls", "data", 5) + _ip("box", "data", 4)
            + _loss("SoftmaxWithLoss", "cls", "label") + _loss("EuclideanLoss", "box", "target"))
    changes = _edit(text).changes
    assert "'cls_new': num_output 5 -> 3" in changes
    assert not [c for c in changes if "'box" in c]


def test_a_concatenated_net_output_is_not_walked_up_one_branch():
    """OpenPose's output joins heatmaps and part affinity fields: resizing the first
    branch alone changed one of two tasks.  No head is found; --head names one."""
    text = ('input: "data" input_shape { dim: 1 dim: 8 }\n' + _ip("maps", "data", 19)
            + _ip("pafs", "data", 38)
            + 'layer { name: "out" type: "Concat" bottom: "maps" bottom: "pafs" top: "out" }\n')
    with pytest.raises(PtxError, match="no head found"):
        _edit(text)


DEPLOY = 'input: "data" input_shape { dim: 1 dim: 8 }\n'


def test_rectified_features_at_the_output_are_not_scores():
    """A VGG cut at conv5_3 (style transfer) ends in ReLU and pooling: features."""
    text = (DEPLOY + 'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" '
            'convolution_param { num_output: 16 kernel_size: 1 } }\n'
            'layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }\n'
            'layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool" }\n')
    with pytest.raises(PtxError, match="'conv' feeds Pooling 'pool': rectified features"):
        _edit(text)


def test_an_output_taken_as_the_head_without_a_readout_is_said():
    """No loss, Accuracy or Softmax: the layer making the net output is a guess (a deploy
    classifier without Softmax, or heatmaps, an embedding), so the edit says so."""
    outcome = _edit(DEPLOY + _ip("fc", "data", 10))
    assert "'fc_new': num_output 10 -> 3" in outcome.changes
    assert any("no loss, Accuracy or Softmax reads the scores: fc taken as the head(s) because "
               "they make the net output 'fc'" in note for note in outcome.notes)
    with_softmax = DEPLOY + _ip("fc", "data", 10) + (
        'layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }\n')
    assert not [n for n in _edit(with_softmax).notes if "no loss" in n]


def test_one_class_under_a_softmax_is_refused():
    """SoftmaxWithLoss over one output is 0 whatever the input (a frequent mistake for a
    yes/no task); detection's 1 class + background is fine."""
    text = DATA % 5 + _ip("fc", "data", 5) + _loss("SoftmaxWithLoss", "fc", "label")
    with pytest.raises(PtxError, match=r"1 class: 'loss_fc' \(SoftmaxWithLoss\) over one output "
                                       r"is always 1.*--replace-head 2"):
        prototxt_tools.edit(text, [("replace_head", {"n": 1})])
    assert "'fc_new': num_output 5 -> 2" in prototxt_tools.edit(
        text, [("replace_head", {"n": 2})]).changes


FORK = DATA % 1 + _ip("fc5", "data", 512) + """
layer { name: "fc6" type: "MarginInnerProduct" bottom: "fc5" %s top: "fc6"
        param { lr_mult: 1 } margin_inner_product_param { num_output: 100 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc6" bottom: "label" top: "loss" }
"""


@pytest.mark.parametrize("bottoms", ['bottom: "label"', ""])
def test_scores_made_by_a_fork_layer_with_its_own_num_output_are_refused(bottoms):
    """SphereFace's MarginInnerProduct makes the scores: the walk went through it (one
    input) and resized the 512-d embedding fc5 to N, leaving the 100-class layer as it was."""
    with pytest.raises(PtxError, match=r"come from 'fc6' \(MarginInnerProduct\), a layer with "
                                       r"its own margin_inner_product_param.num_output 100"):
        _edit(FORK % bottoms)


def test_a_fork_classifier_beside_a_real_head_is_noted():
    text = FORK % "" + _ip("aux", "data", 100) + _loss("SoftmaxWithLoss", "aux", "label")
    outcome = _edit(text)
    assert "'aux_new': num_output 100 -> 3" in outcome.changes
    assert not [c for c in outcome.changes if "fc5" in c or "fc6" in c]
    assert any("'loss' reads scores made by 'fc6' (MarginInnerProduct" in n for n in outcome.notes)
