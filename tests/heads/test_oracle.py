"""Oracle tier: ``--replace-head`` results built by upstream BVLC Caffe.

- FCN-32s/FCN-8s train and val nets (Python data layers swapped for Input by
  ``check_net``) build with N-channel scores and upsampling, and weights Caffe
  saved for the original net copy into every layer but the renamed heads;
  the control (score layers changed alone, as ptx did before) aborts in Caffe.
- Faster R-CNN (VGG16) test net: upstream has no ROIPooling, so the ``proposal`` Python
  layer and the ROIPooling layer are swapped for Inputs (``forkswap``); Caffe
  builds the RPN, the backbone and the new heads, and copies the original's weights
  into everything but ``cls_score``/``bbox_pred``.  The same net with the fork's real
  ROIPooling, and the Faster/Fast R-CNN *train* nets (SmoothL1Loss against roi-data's
  targets), are built by caffe-fast-rcnn itself: ``test_det_fork_oracle.py``.
- SSD, R-FCN, SegNet and PSPNet need fork layers (PriorBox, MultiBoxLoss, PSROIPooling,
  Upsample, BN, Interp) that upstream Caffe cannot build.  SSD and R-FCN nets whose fork
  layers the brocolli build vouches for are built there (``test_fork_oracle.py``); the
  detection nets it cannot vouch for (the SSD test net's DetectionEvaluate, the R-FCN
  OHEM train net) are built by their own fork's Caffe where that build exists
  (``test_det_fork_oracle.py``).  Where no build judges a case, golden files
  (``test_golden.py``), ptx's own shape checks and the weight-copy preview
  (``test_weights.py``) are what stands behind it.
- Segmentation beyond FCN is built in each net's own fork (``test_seg_oracle.py``):
  SegNet's segnet_train and segnet_basic_train in alexgkendall/caffe-segnet, the PSPNet
  golden case in hszhao/PSPNet; a hand-written DeepLab-v2 ASPP net (the corpus DeepLab nets
  are shell templates) is built here with upstream layers only, and with Interp and
  DenseCRF in the PSPNet fork.  Those tests skip where the fork builds are absent (CI).
"""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.caffe.runner import pycaffe_path
from prototxt_tools.edits import apply_edits
from prototxt_tools.errors import PtxError
from prototxt_tools.passes import get_pass

from .cases import FCN, FRCNN
from .forkswap import swap_layers

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.skipif(pycaffe_path() is None, reason="pycaffe not importable: build it "
                       "with tools/build-caffe.sh or set PTX_CAFFE_PREFIX"),
]

SEG_SHAPES = {"data": (1, 3, 64, 64), "label": (1, 1, 64, 64)}
VGG_TEST = FRCNN + "test.prototxt"   # (ZF's uses the fork's Dropout scale_train)
ROIS = 4


def _check(text, **kwargs):
    from prototxt_tools.caffe.check import check_net
    return check_net(text, timeout=600.0, **kwargs)


def _read(rel: str) -> str:
    require_corpus()
    with open(CORPUS / rel, newline="", encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("rel", [FCN + "voc-fcn32s/train.prototxt", FCN + "voc-fcn32s/val.prototxt",
                                 FCN + "voc-fcn8s/train.prototxt", FCN + "voc-fcn8s/val.prototxt"])
def test_fcn_result_builds_with_n_channels(rel):
    edited = prototxt_tools.edit(_read(rel), [("replace_head", {"n": 5})]).text
    result = _check(edited, input_shapes=SEG_SHAPES)
    assert result.fatal is None, result.fatal
    assert dict(result.blobs)["score"] == (1, 5, 64, 64)
    for name, shapes in result.params.items():
        if name.startswith("upscore"):
            assert name.endswith("_new") and shapes[0][:2] == (5, 1), (name, shapes)


def test_fcn_scores_changed_alone_refused_by_ptx_and_abort_in_caffe():
    """The control: what --replace-head did before the FCN family (score layers only).
    ptx refuses it from channels alone (the data layer is Python: sizes are unknown),
    and Caffe, given the same text unchecked, aborts at the same layer."""
    text = _read(FCN + "voc-fcn8s/train.prototxt")
    scores = ("score_fr", "score_pool4", "score_pool3")
    with pytest.raises(PtxError, match="layer 'fuse_pool4'.*bottom\\[1\\]: \\? 5 \\?"):
        prototxt_tools.edit(text, [("num_output", {"layer": name, "n": 5}) for name in scores])
    forced = text
    for name in scores:   # the same edit, unchecked
        ptx_file = prototxt_tools.load(forced)
        forced = apply_edits(forced, get_pass("num_output").run(ptx_file, layer=name, n=5).edits)
    fatal = _check(forced, input_shapes=SEG_SHAPES).fatal
    assert fatal is not None and fatal.where.startswith("eltwise_layer")
    assert "1 21 8 8" in fatal.message and "1 5 8 8" in fatal.message


def test_fcn_weights_copy_except_heads(tmp_path):
    weights = str(tmp_path / "fcn32s.caffemodel")
    original = _read(FCN + "voc-fcn32s/train.prototxt")
    assert _check(original, input_shapes=SEG_SHAPES, save_weights=weights).fatal is None
    edited = prototxt_tools.edit(original, [("replace_head", {"n": 5})]).text
    report = _check(edited, input_shapes=SEG_SHAPES, weights=weights).weights
    assert set(report.not_in_weights) == {"score_fr_new", "upscore_new"}
    assert {"score_fr", "upscore"} <= set(report.ignored)
    assert {"conv1_1", "conv5_3", "fc6", "fc7"} <= set(report.copied)


def _frcnn_test(text: str) -> str:
    """The VGG16 test net with its fork/Python layers in the middle swapped for Inputs."""
    return swap_layers(text, {"proposal": {"rois": (ROIS, 5)},
                              "roi_pool5": {"pool5": (ROIS, 512, 7, 7)}})


def test_faster_rcnn_heads_build_and_weights_copy(tmp_path):
    original = _read(VGG_TEST)
    weights = str(tmp_path / "vgg16.caffemodel")
    shapes = {"data": (1, 3, 224, 224), "im_info": (1, 3)}
    before = _check(_frcnn_test(original), phase="TEST", input_shapes=shapes,
                    save_weights=weights)
    assert before.fatal is None, before.fatal
    edited = prototxt_tools.edit(original, [("replace_head", {"n": 4})]).text
    after = _check(_frcnn_test(edited), phase="TEST", input_shapes=shapes, weights=weights)
    assert after.fatal is None, after.fatal
    blobs = dict(after.blobs)
    assert blobs["cls_prob"] == (ROIS, 5) and blobs["bbox_pred"] == (ROIS, 20)
    assert blobs["rpn_cls_prob_reshape"] == dict(before.blobs)["rpn_cls_prob_reshape"]
    assert set(after.weights.not_in_weights) == {"cls_score_new", "bbox_pred_new"}
    assert {"rpn_cls_score", "rpn_bbox_pred", "conv1_1", "fc6", "fc7"} <= set(after.weights.copied)
