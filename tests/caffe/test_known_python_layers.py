"""``ptx check``'s stand-ins for the Python layers shapes/pylayers.py knows (no Caffe needed:
this is the text Caffe would be given)."""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.caffe.standins import plan_stand_ins, python_layers
from prototxt_tools.caffe.swap import plan_swaps, swapped_text
from prototxt_tools.errors import PtxError

FRCNN = "files/rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/"


def _plans(text, given=None, phase="TRAIN"):
    ptx = prototxt_tools.load(text)
    graph = ptx.graph(phase)
    included = {layer.index for layer in graph.layers()}
    swaps = plan_swaps(ptx.net, "net.prototxt", dict(given or {}), None, None, included)
    sized = dict(given or {})
    sized.update({top: shape for plan in swaps for top, shape in plan.shapes})
    stand_ins = plan_stand_ins(ptx, "net.prototxt", python_layers(ptx.net, included), graph, sized)
    return ptx, swaps, stand_ins


def _read(rel):
    require_corpus()
    return (CORPUS / rel).read_text(encoding="utf-8")


def test_faster_rcnn_train_is_stood_in_with_setup_shapes_and_says_what_it_assumed():
    ptx, swaps, stand_ins = _plans(_read(FRCNN + "faster_rcnn_end2end/train.prototxt"))
    (data,) = swaps
    assert data.shapes == [("data", (1, 3, 600, 1000)), ("im_info", (1, 3)), ("gt_boxes", (1, 4))]
    assert "default config" in data.assumed[0] and "--input-shape data=" in data.assumed[0]
    shapes = {plan.layer.name: dict(plan.shapes) for plan in stand_ins}
    # conv5_3 of a 600 x 1000 image is 38 x 63 (four ceil-mode poolings); 9 anchors
    assert shapes["rpn-data"]["rpn_labels"] == (1, 1, 9 * 38, 63)
    assert shapes["rpn-data"]["rpn_bbox_targets"] == (1, 36, 38, 63)
    assert shapes["proposal"] == {"rpn_rois": (1, 5)}
    assert shapes["roi-data"]["bbox_targets"] == (1, 84)
    text = swapped_text(ptx.doc, swaps, stand_ins)
    assert text.count("\n") == ptx.text.count("\n")
    assert not [line for line in text.splitlines()
                if "'Python'" in line and not line.lstrip().startswith("#")]


def test_user_shapes_win_and_a_train_batch_cap_applies_to_the_images():
    _, swaps, _ = _plans(_read(FRCNN + "fast_rcnn/train.prototxt"), {"data": (1, 3, 224, 224)})
    assert dict(swaps[0].shapes)["data"] == (1, 3, 224, 224) and not swaps[0].assumed
    assert dict(swaps[0].shapes)["bbox_targets"] == (1, 84)
    ptx = prototxt_tools.load(_read(FRCNN + "fast_rcnn/train.prototxt"))
    capped = plan_swaps(ptx.net, "net.prototxt", {}, None, 1, None)
    assert dict(capped[0].shapes)["data"] == (1, 3, 600, 1000)
    assert set(capped[0].labels) == {"rois", "labels", "bbox_targets", "bbox_inside_weights",
                                     "bbox_outside_weights"}


def test_an_unknown_python_module_is_still_refused_with_its_name():
    text = _read(FRCNN + "faster_rcnn_end2end/train.prototxt").replace(
        "rpn.anchor_target_layer", "my_lab.targets")
    with pytest.raises(PtxError, match="'rpn-data' \\(my_lab.targets.AnchorTargetLayer\\).*"
                                       "--input-shape rpn_labels="):
        _plans(text)
