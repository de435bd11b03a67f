"""Family rules on small hand-written nets: the cases the corpus nets do not show."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.errors import PtxError

ROI = '''
layer { name: "data" type: "Input" top: "data" top: "rois" top: "labels"
  input_param { shape { dim: 1 dim: 8 dim: 14 dim: 14 } shape { dim: 4 dim: 5 } shape { dim: 4 } } }
layer { name: "pool" type: "ROIPooling" bottom: "data" bottom: "rois" top: "pool"
  roi_pooling_param { pooled_w: 2 pooled_h: 2 spatial_scale: 1 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool" top: "fc" inner_product_param { num_output: 16 } }
layer { name: "cls_score" type: "InnerProduct" bottom: "fc" top: "cls_score"
  inner_product_param { num_output: 21 } }
layer { name: "bbox_pred" type: "InnerProduct" bottom: "fc" top: "bbox_pred"
  inner_product_param { num_output: BOX } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "cls_score" bottom: "labels" top: "loss" }
layer { name: "acc" type: "Accuracy" bottom: "cls_score" bottom: "labels" top: "acc"
  accuracy_param { top_k: 5 } }
'''


def _edit(text, **params):
    return prototxt_tools.edit(text, [("replace_head", params)])


def _value(text, layer, field):
    view = prototxt_tools.load(text).net.layer_by_name(layer)[0]
    block = next(f.value for f in view.node.fields if f.name.endswith("_param"))
    return block.scalar(field)


def test_rcnn_class_specific_boxes_follow_the_classes():
    out = _edit(ROI.replace("BOX", "84"), n=3)
    assert _value(out.text, "cls_score_new", "num_output") == 4
    assert _value(out.text, "bbox_pred_new", "num_output") == 16
    assert _value(out.text, "acc", "top_k") == 4
    assert any("top_k 5 -> 4" in c for c in out.changes)
    assert 'top: "cls_score"' in out.text   # tops keep their names for test code


def test_rcnn_class_agnostic_boxes_kept():
    out = _edit(ROI.replace("BOX", "8"), n=3)
    assert _value(out.text, "bbox_pred", "num_output") == 8
    assert not prototxt_tools.load(out.text).net.layer_by_name("bbox_pred_new")


def test_rcnn_box_count_of_no_known_kind_is_said():
    out = _edit(ROI.replace("BOX", "12"), n=3)
    assert _value(out.text, "bbox_pred", "num_output") == 12
    assert any("'bbox_pred' has 12 outputs" in n for n in out.notes)


SSD_ARM = '''
layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 8 dim: 4 dim: 4 } shape { dim: 1 dim: 1 dim: 1 dim: 8 } } }
layer { name: "arm_loc" type: "Convolution" bottom: "data" top: "arm_loc" convolution_param { num_output: 12 kernel_size: 1 } }
layer { name: "arm_conf" type: "Convolution" bottom: "data" top: "arm_conf" convolution_param { num_output: 6 kernel_size: 1 } }
layer { name: "odm_loc" type: "Convolution" bottom: "data" top: "odm_loc" convolution_param { num_output: 12 kernel_size: 1 } }
layer { name: "odm_conf" type: "Convolution" bottom: "data" top: "odm_conf" convolution_param { num_output: 63 kernel_size: 1 } }
layer { name: "prior" type: "PriorBox" bottom: "data" bottom: "data" top: "prior" }
layer { name: "arm_loss" type: "MultiBoxLoss" bottom: "arm_loc" bottom: "arm_conf" bottom: "prior" bottom: "label"
  top: "arm_loss" multibox_loss_param { num_classes: 2 } }
layer { name: "odm_loss" type: "MultiBoxLoss" bottom: "odm_loc" bottom: "odm_conf" bottom: "prior" bottom: "label"
  top: "odm_loss" multibox_loss_param { num_classes: 21 } }
'''


def test_ssd_anchor_refinement_head_untouched():
    out = _edit(SSD_ARM, n=4)
    assert _value(out.text, "odm_conf_new", "num_output") == 15   # 3 priors x 5
    assert _value(out.text, "odm_loss", "num_classes") == 5
    assert _value(out.text, "arm_conf", "num_output") == 6
    assert _value(out.text, "arm_loss", "num_classes") == 2
    assert _value(out.text, "odm_loc", "num_output") == 12


DEEPLAB = '''
layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 3 dim: 16 dim: 16 } shape { dim: 1 dim: 1 dim: 16 dim: 16 } } }
layer { name: "fc8_1" type: "Convolution" bottom: "data" top: "fc8_1" convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "fc8_2" type: "Convolution" bottom: "data" top: "fc8_2" convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "fuse" type: "Eltwise" bottom: "fc8_1" bottom: "fc8_2" top: "fuse" }
layer { name: "up" type: "Interp" bottom: "fuse" top: "up" }
layer { name: "crf" type: "MultiStageMeanfield" bottom: "up" bottom: "up" bottom: "data" top: "crf"
  param { lr_mult: 10000 } param { lr_mult: 10000 } param { lr_mult: 1000 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "crf" bottom: "label" top: "loss" }
'''


def test_deeplab_every_branch_and_the_crf():
    out = _edit(DEEPLAB, n=6)
    assert out.changes[0].startswith("deeplab net")
    assert _value(out.text, "fc8_1_new", "num_output") == 6
    assert _value(out.text, "fc8_2_new", "num_output") == 6
    assert 'name: "crf_new"' in out.text and 'bottom: "crf_new"' in out.text


def test_quoted_shell_placeholder_refused():
    text = DEEPLAB.replace('"fc8_2"', '"fc8_${EXP}"')
    with pytest.raises(PtxError, match="shell template"):
        _edit(text, n=6)


def test_labels_count_must_agree_with_n(tmp_path):
    labels = tmp_path / "names.txt"
    labels.write_text("cat\ndog\n", encoding="utf-8")
    assert _value(_edit(DEEPLAB, labels=str(labels)).text, "fc8_1_new", "num_output") == 2
    with pytest.raises(PtxError, match="lists 2 classes"):
        _edit(DEEPLAB, n=3, labels=str(labels))


@pytest.mark.parametrize("flip,noted", [("true", False), ("false", True)])
def test_ssd_prior_box_is_a_second_opinion(flip, noted):
    text = SSD_ARM.replace('top: "prior" }', 'top: "prior"\n  prior_box_param { min_size: 30 '
                           f'aspect_ratio: 2 flip: {flip} }} }}')
    out = _edit(text, n=4)
    assert _value(out.text, "odm_conf_new", "num_output") == 15   # the conf count wins
    assert any("PriorBox 'prior' describes 2" in n for n in out.notes) == noted


@pytest.mark.parametrize("rel", [
    "TheLegendAli__DeepLab-Context@different_models/config/DeepLab-MSc-LargeFOV/train.prototxt",
    "chuanqi305__MobileNet-SSD/template/MobileNetSSD_train_template.prototxt",
])
def test_corpus_templates_refused_clearly(rel, capsys):
    """DeepLab's ${NUM_LABELS} (a parse error) and MobileNet-SSD's `num_output: cls3x`."""
    from corpus import CORPUS, require_corpus
    from prototxt_tools.cli import main
    require_corpus()
    assert main(["edit", str(CORPUS / "files" / rel), "--replace-head", "4"]) == 2
    err = capsys.readouterr().err
    assert "template" in err and err.count("\n") == 1


@pytest.mark.parametrize("rel", [
    "rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_alt_opt/stage1_rpn_train.pt",
    "soeaver__caffe-model/det/rfcn/models/pascal_voc/resnet18/rpn_rcnn_deploys/"
    "rpn_deploy_rfcn_voc_resnet18-priv-merge.prototxt",
])
def test_region_proposal_nets_have_no_class_heads(rel):
    """18 = 2 x 9 anchors is objectness, not classes: refused, saying so."""
    from corpus import CORPUS, require_corpus
    require_corpus()
    with pytest.raises(PtxError, match="region proposal network: 'rpn_cls_score' has 18 "
                                       "outputs = 2 \\(object or not\\) x 9 anchors"):
        _edit(str(CORPUS / "files" / rel), n=4)


RCNN_TRAIN = ["rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/train.prototxt",
              "rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/fast_rcnn/train.prototxt"]


def _rcnn_train(rel):
    from corpus import CORPUS, require_corpus
    require_corpus()
    return (CORPUS / "files" / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", RCNN_TRAIN)
def test_rcnn_heads_changed_alone_refused_from_the_box_loss(rel):
    """The hand edit the issue reports: heads at 4 classes, roi-data's num_classes left at 21.
    The Python layers' setup() shapes (shapes/pylayers.py) make bbox_targets 4 x 21, so the
    box loss's check fails whatever the image size."""
    steps = [("num_output", {"layer": "cls_score", "n": 5}),
             ("num_output", {"layer": "bbox_pred", "n": 20})]
    with pytest.raises(PtxError, match="layer 'loss_bbox'.*channels\\(\\) \\(20 vs. 84\\)"):
        prototxt_tools.edit(_rcnn_train(rel), steps)


@pytest.mark.parametrize("rel", RCNN_TRAIN)
def test_rcnn_param_str_changed_alone_is_a_shape_error_at_the_box_loss(rel):
    from prototxt_tools.edits import apply_edits
    from prototxt_tools.heads.paramstr import set_int_key
    from prototxt_tools.shapes import infer_shapes
    text = _rcnn_train(rel)
    net = prototxt_tools.load(text).net
    text = apply_edits(text, [edit for edit in (set_int_key(layer, "num_classes", 5)
                                                for layer in net.layers) if edit is not None])
    result = infer_shapes(prototxt_tools.load(text).graph("TRAIN"))
    assert [(e.layer.name, e.error.message) for e in result.errors] == [
        ("loss_bbox", "Check failed: bottom[0]->channels() == bottom[1]->channels() (84 vs. 20)")]


def test_a_phase_nothing_feeds_is_not_called_unverified():
    """A net whose data layer is TRAIN-only (PSPNet's, MobileNet-SSD train): in TEST nothing
    produces 'data', a state lint does not check either; the heads' shapes are known in
    TRAIN, so no "known only in part" note blaming the first convolution."""
    text = ('layer { name: "data" type: "ImageSegData" top: "data" top: "label" '
            'include { phase: TRAIN }\n  transform_param { crop_size: 9 } '
            'image_data_param { batch_size: 1 } }\n' + DEEPLAB.split("\n", 3)[3])
    text = text.replace('bottom: "crf" bottom: "label"', 'bottom: "up" bottom: "label"')
    text = text.replace('layer { name: "crf"', 'layer { include { phase: TEST } name: "crf"')
    assert "known only in part" not in " ".join(_edit(text, n=6).notes)
    unsized = text.replace("crop_size: 9", "mirror: true")
    note = next(n for n in _edit(unsized, n=6).notes if "known only in part" in n)
    assert "'data' (ImageSegData) gives data, label no known size" in note
    assert "--input-shape data=N,C,H,W" in note


SEGNET_LOSS = '''
layer { name: "data" type: "Input" top: "data" top: "label" top: "mask"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } shape { dim: 1 dim: 1 dim: 8 dim: 8 } } }
layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" top: "pool_mask"
  pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "up" type: "Upsample" bottom: "pool" bottom: "pool_mask" top: "up" upsample_param { scale: 2 } }
layer { name: "cls" type: "Convolution" bottom: "up" top: "cls" convolution_param { num_output: 3 kernel_size: 1 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "cls" bottom: "label" top: "loss"
  loss_param { weight_by_label_freqs: FLAG ignore_label: 3
    class_weighting: 0.5  # sky
    class_weighting: 2
    class_weighting: 1 } }
'''


def test_segnet_class_weights_caffe_reads_are_refused_unless_replaced_or_dropped():
    """caffe-segnet aborts at setup when the weights it reads do not number the classes."""
    text = SEGNET_LOSS.replace("FLAG", "true")
    with pytest.raises(PtxError, match="'loss' weighs its loss by 3 class_weighting values.*"
                                       "--class-weighting W1,...,W4") as info:
        _edit(text, n=4)
    assert info.value.line == 10
    out = _edit(text, n=4, class_weighting=[1, 0.25, 3, 2])
    assert prototxt_tools.load(out.text).net.layer_by_name("loss")[0].node.message(
        "loss_param").scalars("class_weighting") == [1, 0.25, 3, 2]
    assert "class_weighting: 1  # sky" in out.text           # replaced in place
    assert any("ignore_label 3 kept" in n for n in out.notes)
    dropped = _edit(text, n=4, drop_class_weighting=True).text
    assert "class_weighting" not in dropped and "weight_by_label_freqs" not in dropped
    assert _edit(text, n=2, class_weighting=[1, 2]).text.count("class_weighting:") == 2
    with pytest.raises(PtxError, match="gives 3 values for 4 classes"):
        _edit(text, n=4, class_weighting=[1, 2, 3])


def test_segnet_class_weights_caffe_ignores_are_kept_with_a_note():
    out = _edit(SEGNET_LOSS.replace("FLAG", "false"), n=4)
    assert out.text.count("class_weighting:") == 3
    assert any("unused while weight_by_label_freqs is off" in n for n in out.notes)


def test_class_weighting_said_where_no_loss_has_one():
    """The deploy net of a model edited with its train net has no loss: said, not refused."""
    notes = _edit(DEEPLAB, n=3, class_weighting=[1, 1, 1]).notes
    assert any("no loss of this deeplab net has a class_weighting list" in n for n in notes)


LEARNT_UP = '''
layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 1 dim: 3 dim: 16 dim: 16 } shape { dim: 1 dim: 1 dim: 16 dim: 16 } } }
layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "score_fr" type: "Convolution" bottom: "pool" top: "score_fr" convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "score2" type: "Deconvolution" bottom: "score_fr" top: "score2" param { lr_mult: 1 }
  convolution_param { num_output: 21 bias_term: false kernel_size: 2 stride: 2 } }
layer { name: "score_data" type: "Convolution" bottom: "data" top: "score_data" convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "fuse" type: "Eltwise" bottom: "score2" bottom: "score_data" top: "fuse" }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fuse" bottom: "label" top: "loss" }
'''


def test_fcn_learnt_upsampling_between_scores_changes_with_them(tmp_path, capsys):
    """Early FCN-8s (netscope's fcn-8s-pascal) learns its 2x upsampling: the walk goes
    through it to score_fr, and it gets N channels, one bilinear-started kernel per class."""
    out = _edit(LEARNT_UP, n=5)
    for name in ("score_fr_new", "score_data_new", "score2_new"):
        assert _value(out.text, name, "num_output") == 5, name
    assert _value(out.text, "score2_new", "group") == 5
    assert any("learnt upsampling: starts bilinear" in c for c in out.changes)
    assert 'param { lr_mult: 1 }' in out.text                       # it keeps learning
    from prototxt_tools.cli import main
    path = tmp_path / "hand.prototxt"                               # what the walk missed
    path.write_text(LEARNT_UP.replace("num_output: 21 kernel_size: 1 } }\nlayer { name: \"fuse\"",
                                      "num_output: 5 kernel_size: 1 } }\nlayer { name: \"fuse\""))
    assert main(["lint", str(path), "--select", "PTX309"]) == 1
    assert "score_fr 21, score2 21, score_data 5" in capsys.readouterr().out
