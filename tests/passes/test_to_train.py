"""``to_train``: deploy nets (and train_vals) get data layers on lists, a loss and accuracy.

The sweep runs over every V2 corpus net fed by an Input layer or ``input`` fields: the
pass either refuses in one line (several inputs, no Softmax, no shape) or gives a net
that parses, builds in TRAIN and TEST with an ImageData layer per phase, trains a
SoftmaxWithLoss on the label, measures accuracy in TEST only, is idempotent, and
leaves every line outside the data layers and the output layers as it was.
"""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import params, require_corpus
from prototxt_tools.errors import PtxError
from prototxt_tools.passes.driver import edit

ARGS = {"train_source": "/data/train.txt", "val_source": "/data/val.txt", "classes": 3}
DEPLOY = """name: "tiny"  # a comment that stays
layer { name: "data" type: "Input" top: "data"
        input_param { shape { dim: 1 dim: 3 dim: 32 dim: 32 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        convolution_param { num_output: 8 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "conv" top: "fc"
        inner_product_param { num_output: 10 } }
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
"""


def _fed_by_input(ptx_file) -> bool:
    return ptx_file.doc.has("input") or any(l.type == "Input" for l in ptx_file.net.layers)


@pytest.mark.parametrize("corpus_file", params("net", formats=("v2",)))
def test_corpus_deploy_nets_become_train_vals(corpus_file):
    require_corpus()
    try:
        ptx_file = prototxt_tools.load(str(corpus_file.path))
    except PtxError:
        pytest.skip("does not parse (covered by the syntax tests)")
    if ptx_file.kind != "net" or not _fed_by_input(ptx_file):
        pytest.skip("not a deploy net")
    try:
        outcome = edit(ptx_file, [("to_train", ARGS)])
    except PtxError as exc:
        assert "\n" not in str(exc)
        return
    result = prototxt_tools.load(outcome.text)
    for phase, source in (("TRAIN", "/data/train.txt"), ("TEST", "/data/val.txt")):
        graph = result.graph(phase)
        data = [l for l in graph.layers() if l.type == "ImageData"]
        assert [l.node.message("image_data_param").scalar("source") for l in data] == [source]
        assert graph.loss_layers()
        mirror = data[0].node.message("transform_param").scalar("mirror")
        assert str(mirror).lower() == ("true" if phase == "TRAIN" else "false")
    assert not [l for l in result.graph("TRAIN").layers() if l.type == "Accuracy"]
    assert edit(result, [("to_train", ARGS)]).text == outcome.text   # idempotent
    kept = set(outcome.text.splitlines())
    untouched = [line for line in ptx_file.text.splitlines() if line not in kept]
    assert all(any(word in line for word in ("input", "Input", "dim", "Softmax", "prob", "shape",
                                             "top", "name", "}", "{", "#"))
               for line in untouched), untouched[:5]


def test_a_deploy_net_gets_data_loss_and_accuracy():
    outcome = edit(DEPLOY, [("to_train", dict(ARGS, classes=None, batch=16, test_batch=8))])
    text = outcome.text
    assert text.startswith('name: "tiny"  # a comment that stays\n')
    net = prototxt_tools.load(text)
    train, test = (net.graph(p) for p in ("TRAIN", "TEST"))
    data = next(l for l in train.layers() if l.type == "ImageData")
    transform = data.node.message("transform_param")
    assert transform.scalar("crop_size") == 32 and transform.scalars("mean_value") == [104, 117, 123]
    params_ = data.node.message("image_data_param")
    assert (params_.scalar("batch_size"), str(params_.scalar("shuffle"))) == (16, "true")
    assert (params_.scalar("new_height"), params_.scalar("new_width")) == (37, 37)  # 32 * 8/7
    assert [l.name for l in train.loss_layers()] == ["loss"]
    accuracy = [l for l in test.layers() if l.type == "Accuracy"]
    assert [l.bottoms for l in accuracy] == [["fc", "label"], ["fc", "label"]]
    assert any("mean_value 104, 117, 123" in note for note in outcome.notes)


def test_few_classes_get_no_top5_and_train_vals_lose_unmeasurable_accuracy():
    outcome = edit(DEPLOY, [("to_train", ARGS)])
    net = prototxt_tools.load(outcome.text)
    assert [l.name for l in net.graph("TEST").layers() if l.type == "Accuracy"] == ["accuracy"]
    again = edit(net.text.replace("num_output: 10", "num_output: 3"),
                 [("to_train", dict(ARGS, classes=2))])
    assert "top_k above the 2 classes" not in " ".join(again.changes)
    top5 = prototxt_tools.load(edit(DEPLOY, [("to_train", dict(ARGS, classes=None))]).text)
    assert len([l for l in top5.graph("TEST").layers() if l.type == "Accuracy"]) == 2
    dropped = edit(top5, [("to_train", ARGS)])
    assert any("accuracy_top5" in c and "top_k above the 3 classes" in c for c in dropped.changes)


def test_non_square_input_is_resized_and_lmdb_is_data():
    wide = DEPLOY.replace("dim: 32 dim: 32", "dim: 24 dim: 40")
    data = _train_data(edit(wide, [("to_train", ARGS)]).text)
    assert data.node.message("transform_param").scalar("crop_size") is None
    assert data.node.message("image_data_param").scalar("new_width") == 40
    with pytest.raises(PtxError, match="non-square"):
        edit(wide, [("to_train", dict(ARGS, lmdb=True))])
    lmdb = _train_data(edit(DEPLOY, [("to_train", dict(ARGS, lmdb=True))]).text)
    assert lmdb.type == "Data" and lmdb.node.message("data_param").scalar("backend") == "LMDB"


def test_deprecated_input_fields_and_given_means():
    old = DEPLOY.replace('layer { name: "data" type: "Input" top: "data"\n        input_param '
                         '{ shape { dim: 1 dim: 3 dim: 32 dim: 32 } } }\n',
                         'input: "data"\ninput_dim: 1\ninput_dim: 1\ninput_dim: 28\ninput_dim: 28\n')
    outcome = edit(old, [("to_train", dict(ARGS, mean_values=(0.5,), scale=0.00390625))])
    data = _train_data(outcome.text)
    assert data.node.message("transform_param").scalars("mean_value") == [0.5]
    assert str(data.node.message("image_data_param").scalar("is_color")) == "false"
    assert not prototxt_tools.load(outcome.text).doc.has("input")


@pytest.mark.parametrize("text, words", [
    (DEPLOY.replace('top: "data"\n', 'top: "data" top: "im_info"\n'), "not supported yet"),
    (DEPLOY.replace('type: "Softmax"', 'type: "Sigmoid"'), "not an image classifier"),
    (DEPLOY.replace('type: "Input"', 'type: "Dummy"'), "no Input or data layer"),
])
def test_refusals(text, words):
    with pytest.raises(PtxError, match=words):
        edit(text, [("to_train", ARGS)])


def _train_data(text):
    net = prototxt_tools.load(text)
    return next(l for l in net.graph("TRAIN").layers() if l.type in ("ImageData", "Data"))
