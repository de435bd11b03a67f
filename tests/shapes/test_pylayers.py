"""Shapes of py-faster-rcnn's Python layers (shapes/pylayers.py), on the corpus nets that use them."""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import CORPUS, files_of, require_corpus
from prototxt_tools.shapes import infer_shapes
from prototxt_tools.shapes.core import dims_text
from prototxt_tools.shapes.pylayers import (PY_RFCN, PYTHON_LAYERS, flavour_of, module_of, param_int,
                                            param_list_length)

FRCNN = "files/rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/"
NET = """name: "n"
layer {{ name: "feed" type: "Python" top: "data" top: "im_info" top: "gt_boxes"
  python_param {{ module: "roi_data_layer.layer" layer: "RoIDataLayer" param_str: "{param_str}" }} }}
layer {{ name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param {{ num_output: 8 kernel_size: 3 }} }}
layer {{ name: "rpn_cls_score" type: "Convolution" bottom: "conv" top: "rpn_cls_score"
  convolution_param {{ num_output: 18 kernel_size: 1 }} }}
layer {{ name: "rpn-data" type: "Python" bottom: "rpn_cls_score" bottom: "gt_boxes"
  bottom: "im_info" bottom: "data"
  top: "labels" top: "targets" top: "inside" top: "outside"
  python_param {{ module: "rpn.anchor_target_layer" layer: "AnchorTargetLayer"
    param_str: "{anchor_str}" }} }}
"""


def _net(param_str="'num_classes': 21", anchor_str="'feat_stride': 16"):
    return prototxt_tools.load(NET.format(param_str=param_str, anchor_str=anchor_str))


def _tops(result, name):
    entry = next(e for e in result.layers if e.layer.name == name)
    return [dims_text(t if t is not None else (entry.partial_tops[i] if i < len(entry.partial_tops)
                                               else None)) for i, t in enumerate(entry.tops)]


def test_each_entry_names_whose_layer_and_says_where_the_shapes_come_from():
    assert set(PYTHON_LAYERS) == {"roi_data_layer.layer.RoIDataLayer",
                                  "rpn.anchor_target_layer.AnchorTargetLayer",
                                  "rpn.proposal_target_layer.ProposalTargetLayer",
                                  "rpn.proposal_layer.ProposalLayer"}
    for entry in PYTHON_LAYERS.values():
        assert "py-faster-rcnn" in entry.rule.__doc__, entry.name


def test_configured_image_size_stays_unknown_and_the_anchor_targets_follow_the_score_map():
    result = infer_shapes(_net().graph("TRAIN"))
    assert _tops(result, "feed") == ["1x3x?x?", "1x3", "1x4"]
    assert _tops(result, "rpn-data") == ["1x1x?x?", "1x36x?x?", "1x36x?x?", "1x36x?x?"]


def test_given_image_size_gives_every_anchor_target_shape():
    result = infer_shapes(_net().graph("TRAIN"), {"data": (1, 3, 40, 60)})
    assert _tops(result, "rpn-data") == ["1x1x342x58", "1x36x38x58", "1x36x38x58", "1x36x38x58"]


def test_anchor_scales_of_the_param_str_set_the_anchor_count():
    net = _net(anchor_str="'feat_stride': 16 \\n'scales': !!python/tuple [4, 8, 16, 32]")
    layer = net.net.layers[3]
    assert param_list_length(layer, "scales") == 4
    result = infer_shapes(net.graph("TRAIN"), {"data": (1, 3, 40, 60)})
    assert _tops(result, "rpn-data")[:2] == ["1x1x456x58", "1x48x38x58"]


def test_a_param_str_without_num_classes_leaves_the_data_layer_unknown():
    result = infer_shapes(_net(param_str="'classes': 21").graph("TRAIN"))
    assert _tops(result, "feed") == ["?", "?", "?"]


def test_unknown_python_modules_keep_unknown_tops():
    text = NET.format(param_str="'num_classes': 21", anchor_str="").replace(
        "rpn.anchor_target_layer", "my.targets")
    result = infer_shapes(prototxt_tools.load(text).graph("TRAIN"), {"data": (1, 3, 40, 60)})
    assert _tops(result, "rpn-data") == ["?"] * 4


def test_param_str_quoting_variants_read_alike():
    for raw in ("'num_classes': 21", "\\'num_classes\\': 21", '\\"num_classes\\": 21',
                "num_classes: 21", "'num_classes':21"):
        layer = _net(param_str=raw).net.layers[0]
        assert param_int(layer, "num_classes") == 21, raw
        assert module_of(layer) == "roi_data_layer.layer.RoIDataLayer"


def _corpus_nets():
    require_corpus()
    nets = []
    for entry in files_of("net"):
        text = entry.path.read_text(encoding="utf-8", errors="replace")
        if any(name.rsplit(".", 1)[0] in text for name in PYTHON_LAYERS):
            nets.append(entry)
    assert len(nets) >= 10, [n.rel for n in nets]
    return nets


def test_corpus_anchor_targets_match_the_rpn_box_layer_and_region_targets_the_box_head():
    """On every corpus net using these layers (given an image size): the anchor targets have
    the channels of the RPN's own box predictions (4A) and its labels A x H rows; the region
    targets 4 x num_classes, as many as a class-specific bbox_pred (or R-FCN's 8 agnostic)."""
    checked = 0
    for entry in _corpus_nets():
        ptx = prototxt_tools.load(entry.path.read_text(encoding="utf-8"))
        for layer in ptx.net.layers:
            if module_of(layer) == "rpn.anchor_target_layer.AnchorTargetLayer":
                result = infer_shapes(ptx.graph("TRAIN"), {"data": (1, 3, 224, 320)})
                labels, targets = (result.shape(t) for t in layer.tops[:2])
                score = result.shape(layer.bottoms[0])
                box = next(result.shape(x.tops[0]) for x in ptx.net.layers
                           if x.name.startswith("rpn_bbox_pred"))
                assert targets[1:] == box[1:], (entry.rel, targets, box)
                assert labels[2] * 2 == score[1] * score[2], (entry.rel, labels, score)
                checked += 1
            if module_of(layer) == "rpn.proposal_target_layer.ProposalTargetLayer":
                result = infer_shapes(ptx.graph("TRAIN"))
                boxes = (1, 4 * param_int(layer, "num_classes"))
                if flavour_of(ptx.net) == PY_RFCN:
                    boxes += (1, 1)
                assert result.shape(layer.tops[2]) == boxes, entry.rel
                checked += 1
    assert checked >= 6


@pytest.mark.parametrize("rel, rois", [(FRCNN + "faster_rcnn_end2end/train.prototxt", (1, 5)),
                                       (FRCNN + "fast_rcnn/train.prototxt", (1, 5)),
                                       (FRCNN + "faster_rcnn_end2end/test.prototxt", (1, 5))])
def test_heads_of_the_corpus_nets_are_sized_below_the_python_layers(rel, rois):
    require_corpus()
    ptx = prototxt_tools.load((CORPUS / rel).read_text(encoding="utf-8"))
    phase = "TEST" if "test" in rel else "TRAIN"
    result = infer_shapes(ptx.graph(phase), {"data": (1, 3, 224, 224)})
    assert result.shape("rois") == rois
    assert result.shape("cls_score") == (1, 21) and result.shape("bbox_pred") == (1, 84)


def test_r_fcn_nets_get_py_r_fcns_four_d_region_tops():
    """soeaver's R-FCN OHEM net sums a per-region loss shaped like the labels with one shaped
    R x 1 x 1 x 1 (Eltwise: equal shapes): it runs py-R-FCN's ProposalTargetLayer (4-D)."""
    require_corpus()
    rel = ("files/soeaver__caffe-model/det/rfcn/models/pascal_voc/resnet18/"
           "rfcn_voc_resnet18-priv-merge-ohem.prototxt")
    result = infer_shapes(prototxt_tools.load((CORPUS / rel).read_text(encoding="utf-8"))
                          .graph("TRAIN"), {"data": (1, 3, 224, 224)})
    assert [result.shape(t) for t in ("rois", "labels", "bbox_targets")] == [
        (1, 5, 1, 1), (1, 1, 1, 1), (1, 8, 1, 1)]
    frcnn = infer_shapes(prototxt_tools.load((CORPUS / FRCNN / "faster_rcnn_end2end/train.prototxt")
                                             .read_text(encoding="utf-8")).graph("TRAIN"))
    assert [frcnn.shape(t) for t in ("rois", "labels", "bbox_targets")] == [(1, 5), (1, 1), (1, 84)]
