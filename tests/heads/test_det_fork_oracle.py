"""Own-fork oracle: the detection golden cases built by the Caffe of the fork each net was
written for (tools/build-caffe.sh --fork NAME; tests/caffe/forkbuild.py).

- caffe-fast-rcnn (build ``faster-rcnn``, py-faster-rcnn's pin): the VGG16
  ``faster_rcnn_end2end`` train and test nets and the ``fast_rcnn`` train net, with the
  fork's own ROIPooling and SmoothL1Loss.  Their Python layers are stood in for with the
  shapes their setup() gives (shapes/pylayers.py): roi-data's ``bbox_targets`` is 1 x 4K with
  K the param_str's num_classes, so the fork's SmoothL1Loss checks bbox_pred against the
  *edited* param_str.  Proved: the edited net builds with cls_score N+1 and bbox_pred
  4(N+1) (= bbox_targets), the RPN unchanged; weights the fork saved for the original copy
  into every layer but the renamed heads; the control -- heads changed with num_classes
  left at 21, or num_classes changed with the heads left -- is flagged by
  ``ptx lint --select PTX309`` and aborts in the fork at ``loss_bbox``
  (smooth_L1_loss_layer.cpp).  And every py-faster-rcnn corpus net the build judges (ZF,
  COCO, the alternating-optimisation stages) is refused as an RPN or builds edited.
- SSD's Caffe (build ``ssd``): the MobileNet-SSD test net with its DetectionEvaluate
  (AnnotatedData swapped for Input with labels 1 x 1 x 1 x 8, SSD's setup shape): builds with
  priors x (N+1) confidences and N+1-class evaluation rows, weights copy, the conf-only
  control aborts at the conf Reshape; DetectionEvaluate's num_classes alone is not checked
  by SSD at all (wrong mAP, no abort): PTX309 is what catches it.
- R-FCN (build ``rfcn-ms`` or ``rfcn``): soeaver's R-FCN OHEM train net follows py-R-FCN and
  needs SoftmaxWithLossOHEM, SmoothL1LossOHEM and a 4-bottom SmoothL1Loss, which
  daijifeng001/caffe-rfcn lacks (py-R-FCN's Microsoft/caffe@1a2be8e has them); the tests skip
  naming what each build lacks (fork_oracle.json ``registers``).
  Where they run: score maps (N+1) x 7 x 7 pooled to N+1, the class-agnostic box branch
  and its targets unchanged, weights copy but rfcn_cls_new, the maps-only control is a
  PTX309 finding and aborts at PSROIPooling.  No mirrored fork has soeaver's
  ``ceil_mode`` (see ``_rfcn_text``): there spatial sizes are not the fork's.

Without a build the tests skip naming it (CI builds upstream only).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import prototxt_tools
from prototxt_tools.caffe.runner import python_dir_of
from prototxt_tools.cli import main
from prototxt_tools.edits import apply_edits
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.paramstr import set_int_key
from prototxt_tools.passes import get_pass
from prototxt_tools.shapes import infer_shapes

from ..caffe.forkbuild import BUILDS, build_prefix, fork_types, judged_nets, require_build
from .cases import CASES
from .test_fork_oracle import _assert_ssd_classes
from .test_oracle import _check, _read

pytestmark = pytest.mark.oracle

CASE = {name: (rel, params["n"]) for name, rel, params, _ in CASES if "n" in params}
SHAPES = {"data": (1, 3, 224, 224)}
RCNN = [("frcnn_train", "TRAIN"), ("fast_rcnn_train", "TRAIN"), ("frcnn_test", "TEST")]
RCNN_HEADS = ("cls_score", "bbox_pred")


def _build(text: str, phase: str, prefix: str, **kwargs):
    result = _check(text, phase=phase, input_shapes=SHAPES, caffe=prefix, **kwargs)
    assert result.fatal is None, result.fatal
    return result


def _edited(name: str):
    rel, n = CASE[name]
    original = _read(rel)
    return original, prototxt_tools.edit(original, [("replace_head", {"n": n})]).text, n


def _renamed(original: str, edited: str) -> set:
    before = {layer.name for layer in prototxt_tools.load(original).net.layers}
    return {layer.name for layer in prototxt_tools.load(edited).net.layers} - before


@pytest.fixture(scope="module")
def fast_rcnn():
    return require_build("faster-rcnn")


@pytest.mark.parametrize("name, phase", RCNN)
def test_rcnn_heads_build_with_background_and_boxes_matching_roi_data(fast_rcnn, name, phase):
    original, edited, n = _edited(name)
    before = dict(_build(original, phase, fast_rcnn).blobs)
    after = dict(_build(edited, phase, fast_rcnn).blobs)
    regions = after["rois"][0]
    assert after["cls_score"] == (regions, n + 1) and after["bbox_pred"] == (regions, 4 * (n + 1))
    assert before["cls_score"] == (regions, 21) and before["bbox_pred"] == (regions, 84)
    if phase == "TRAIN":   # the fork's SmoothL1Loss compared them: roi-data's, from the param_str
        assert after["bbox_targets"] == (1, 4 * (n + 1)) and before["bbox_targets"] == (1, 84)
    rpn = [blob for blob in before if blob.startswith("rpn_")]   # Faster R-CNN's, kept
    assert bool(rpn) == name.startswith("frcnn") and all(after[b] == before[b] for b in rpn)


@pytest.mark.parametrize("name, phase", RCNN)
def test_rcnn_weights_of_the_original_copy_except_the_renamed_heads(fast_rcnn, tmp_path, name, phase):
    original, edited, _ = _edited(name)
    weights = str(tmp_path / "original.caffemodel")
    saved = _build(original, phase, fast_rcnn, save_weights=weights)
    after = _build(edited, phase, fast_rcnn, weights=weights)
    heads = _renamed(original, edited)
    assert heads == {head + "_new" for head in RCNN_HEADS}
    assert set(after.weights.not_in_weights) == heads
    assert set(after.weights.copied) == set(after.params) - heads
    assert set(RCNN_HEADS) <= set(after.weights.ignored) and set(saved.params) == set(
        after.weights.copied) | set(RCNN_HEADS)


def _judged(build: str) -> list:
    nets = [pytest.param(entry.rel, id=entry.rel) for entry in judged_nets(build)]
    return nets or [pytest.param(None, id="corpus-missing")]


@pytest.mark.parametrize("rel", _judged("faster-rcnn"))
def test_every_py_faster_rcnn_net_edited_builds_in_its_fork(fast_rcnn, rel):
    """The class of the golden cases, on every corpus net caffe-fast-rcnn judges (ZF, COCO's
    81 classes, the alternating-optimisation stages): refused as a region proposal net, or
    built in both phases with N+1 scores and 4(N+1) boxes -- as many as roi-data's targets."""
    if rel is None:
        pytest.skip("corpus missing")
    try:
        edited = prototxt_tools.edit(_read(rel), [("replace_head", {"n": 3})]).text
    except PtxError as exc:
        assert "region proposal network" in str(exc) and "rpn" in rel, exc
        return
    for phase in ("TRAIN", "TEST"):
        blobs = dict(_build(edited, phase, fast_rcnn).blobs)
        regions = blobs["rois"][0]
        assert blobs["cls_score"] == (regions, 4) and blobs["bbox_pred"] == (regions, 16)
        assert blobs.get("bbox_targets", (1, 16)) == (1, 16)


def _assert_ptx309(tmp_path, capsys, text: str, expected: str) -> None:
    """``ptx lint --select PTX309`` flags the net, its message naming ``expected``."""
    path = tmp_path / "net.prototxt"
    path.write_text(text, encoding="utf-8")
    assert main(["lint", str(path), "--select", "PTX309"]) == 1
    assert expected in capsys.readouterr().out


def _heads_alone(text: str, n: int) -> str:
    """cls_score N+1, bbox_pred 4(N+1), the param_str left: the edit unchecked."""
    for head, outputs in zip(RCNN_HEADS, (n + 1, 4 * (n + 1))):
        text = apply_edits(text, get_pass("num_output").run(prototxt_tools.load(text), layer=head,
                                                            n=outputs).edits)
    return text


def _param_str_alone(text: str, n: int) -> str:
    net = prototxt_tools.load(text).net
    return apply_edits(text, [edit for edit in (set_int_key(layer, "num_classes", n + 1)
                                                for layer in net.layers) if edit is not None])


@pytest.mark.parametrize("name", ["frcnn_train", "fast_rcnn_train"])
@pytest.mark.parametrize("change, expected", [(_heads_alone, "20 vs. 84"),
                                              (_param_str_alone, "84 vs. 20")])
def test_rcnn_class_count_changed_in_one_place_flagged_by_lint_and_aborts_at_the_box_loss(
        fast_rcnn, tmp_path, capsys, name, change, expected):
    rel, n = CASE[name]
    forced = change(_read(rel), n)
    _assert_ptx309(tmp_path, capsys, forced, "num_classes")
    fatal = _check(forced, phase="TRAIN", input_shapes=SHAPES, caffe=fast_rcnn).fatal
    assert fatal is not None and fatal.where.startswith("smooth_L1_loss_layer"), fatal
    assert fatal.layer == "loss_bbox" and f"({expected})" in fatal.message, fatal


# --- SSD: the MobileNet-SSD test net (DetectionEvaluate) in SSD's own Caffe -------------------
SSD_SHAPES = {"data": (1, 3, 300, 300)}


@pytest.fixture(scope="module")
def ssd():
    return require_build("ssd")


def _ssd_build(text: str, prefix: str, **kwargs):
    result = _check(text, phase="TEST", input_shapes=SSD_SHAPES, caffe=prefix, **kwargs)
    assert result.fatal is None, result.fatal
    return result


def test_ssd_test_net_builds_with_n_plus_background_and_detection_evaluate_follows(ssd):
    """DetectionEvaluate's rows (1 x 1 x (num_classes - 1 + valid detections) x 5) change
    with num_classes by exactly the class count change; every conf layer is priors x (N+1)."""
    original, edited, n = _edited("ssd_test")
    before = dict(_ssd_build(original, ssd).blobs)
    after = dict(_ssd_build(edited, ssd).blobs)
    heads = [layer for layer in prototxt_tools.load(edited).net.layers
             if layer.name in _renamed(original, edited)]
    _assert_ssd_classes(after, heads, n)
    rows = after["detection_eval"][2] - before["detection_eval"][2]
    assert before["detection_eval"][3] == 5 and rows == (n + 1) - 21, (before, after)
    mine = infer_shapes(prototxt_tools.load(edited).graph("TEST"), SSD_SHAPES)
    assert mine.shape("detection_eval") == after["detection_eval"]   # shapes/ssd.py's rule


def test_ssd_test_weights_copy_except_the_renamed_heads(ssd, tmp_path):
    original, edited, _ = _edited("ssd_test")
    weights = str(tmp_path / "original.caffemodel")
    _ssd_build(original, ssd, save_weights=weights)
    after = _ssd_build(edited, ssd, weights=weights)
    heads = _renamed(original, edited)
    assert heads and set(after.weights.not_in_weights) == heads
    assert set(after.weights.copied) == set(after.params) - heads


def test_ssd_test_num_classes_left_is_flagged_by_lint_and_aborts_in_ssd(ssd, tmp_path, capsys):
    """Conf layers at priors x 5, the conf Reshape, DetectionOutput and DetectionEvaluate left
    at 21: ptx's PTX309 names them, and SSD aborts at the conf Reshape."""
    rel, n = CASE["ssd_test"]
    text = _read(rel)
    before = dict(_ssd_build(text, ssd).blobs)
    forced = text
    for conf in [layer.name for layer in prototxt_tools.load(text).net.layers
                 if layer.name.endswith("_mbox_conf")]:
        forced = apply_edits(forced, get_pass("num_output").run(
            prototxt_tools.load(forced), layer=conf, n=before[conf][1] // 21 * (n + 1)).edits)
    _assert_ptx309(tmp_path, capsys, forced, "num_classes 21")
    fatal = _check(forced, phase="TEST", input_shapes=SSD_SHAPES, caffe=ssd).fatal
    assert fatal is not None and fatal.where.startswith("reshape_layer"), fatal


def test_detection_evaluate_num_classes_alone_is_caught_by_ptx_not_by_caffe(ssd, tmp_path, capsys):
    """The edited net with DetectionEvaluate's num_classes put back to 21: SSD builds it (its
    setup checks shapes only, the count is used at evaluation: wrong mAP, no abort), so this
    mistake is PTX309's alone to catch."""
    original, edited, _ = _edited("ssd_test")
    net = prototxt_tools.load(edited)
    layer = next(x for x in net.net.layers if x.type == "DetectionEvaluate")
    node = layer.node.message("detection_evaluate_param").get("num_classes").value
    forced = edited[:node.start] + "21" + edited[node.end:]
    _assert_ptx309(tmp_path, capsys, forced, "detection_eval num_classes 21")
    assert dict(_ssd_build(forced, ssd).blobs)["detection_eval"][2] == dict(
        _ssd_build(original, ssd).blobs)["detection_eval"][2]


# --- R-FCN: soeaver's OHEM train net in R-FCN's own Caffe --------------------------------------
RFCN_BUILDS = ("rfcn-ms", "rfcn")   # py-R-FCN's Microsoft/caffe@1a2be8e; daijifeng001/caffe-rfcn


@pytest.fixture(scope="module")
def rfcn():
    """The first R-FCN build that registers every fork layer of the OHEM net (fork_oracle.json
    ``registers``), or a skip saying, per build, why not.  (caffe-rfcn lacks the OHEM losses,
    and its SmoothL1Loss takes at most 3 bottoms where the RPN's loss gives 4.)"""
    needed = fork_types(prototxt_tools.load(_read(CASE["rfcn_train"][0])).net.layers)
    why = []
    for name in RFCN_BUILDS:
        prefix = build_prefix(name)
        missing = sorted(needed - set(BUILDS.get(name, {}).get("registers", ())))
        if python_dir_of(str(prefix)) is None:
            why.append(f"{name}: no build at {prefix}")
        elif name not in BUILDS:
            why.append(f"{name}: no fork_oracle.json record")
        elif missing:
            why.append(f"{name} lacks {', '.join(missing)}")
        else:
            return str(prefix)
    pytest.skip("no R-FCN build can build the OHEM net: " + "; ".join(why))


def _rfcn_text(text: str, prefix: str) -> str:
    """The net as the build can parse it.  soeaver's nets write ``ceil_mode: false`` in
    pool1, a field of his own Caffe that neither caffe-rfcn nor py-R-FCN's Microsoft Caffe
    (nor Intel's) has: where the build's caffe.proto lacks it, the line is dropped and pool1
    rounds up as that build always does -- spatial sizes are then NOT the fork's; the class
    channels checked here do not depend on them."""
    proto = Path(python_dir_of(prefix)) / "caffe" / "proto" / "caffe_pb2.py"
    if "ceil_mode" not in proto.read_text(encoding="utf-8", errors="replace"):
        text = re.sub(r"^[ \t]*ceil_mode:[ \t]*false[ \t]*\r?\n", "", text, flags=re.M)
    return text


def _rfcn_build(text: str, prefix: str, **kwargs):
    return _build(_rfcn_text(text, prefix), "TRAIN", prefix, **kwargs)


def test_rfcn_train_builds_with_n_plus_background_score_maps(rfcn):
    """Score maps (N+1) x 7 x 7, pooled to N+1; the class-agnostic box branch (8 x 7 x 7,
    roi-data num_classes 2: bbox_targets 1 x 8) is untouched and still matches its loss."""
    original, edited, n = _edited("rfcn_train")
    before = dict(_rfcn_build(original, rfcn).blobs)
    after = dict(_rfcn_build(edited, rfcn).blobs)
    pooled = after["psroipooled_cls_rois"]
    assert pooled[1:] == (n + 1, 7, 7) and before["psroipooled_cls_rois"][1] == 21
    assert after["rfcn_cls"][1] == (n + 1) * 49 and after["cls_score"][1] == n + 1
    for kept in ("rfcn_bbox", "psroipooled_loc_rois", "bbox_pred", "bbox_targets"):
        assert after[kept] == before[kept], kept
    assert after["bbox_targets"][:2] == (1, 8)


def test_rfcn_train_weights_copy_except_the_score_maps(rfcn, tmp_path):
    original, edited, _ = _edited("rfcn_train")
    weights = str(tmp_path / "original.caffemodel")
    _rfcn_build(original, rfcn, save_weights=weights)
    after = _rfcn_build(edited, rfcn, weights=weights)
    assert _renamed(original, edited) == {"rfcn_cls_new"}
    assert set(after.weights.not_in_weights) == {"rfcn_cls_new"}
    assert set(after.weights.copied) == set(after.params) - {"rfcn_cls_new"}


def test_rfcn_score_maps_changed_alone_flagged_by_lint_and_abort_at_psroi_pooling(
        rfcn, tmp_path, capsys):
    rel, n = CASE["rfcn_train"]
    text = _rfcn_text(_read(rel), rfcn)
    forced = apply_edits(text, get_pass("num_output").run(
        prototxt_tools.load(text), layer="rfcn_cls", n=(n + 1) * 49).edits)
    _assert_ptx309(tmp_path, capsys, forced, "psroipooled_cls_rois output_dim 21")
    fatal = _check(forced, phase="TRAIN", input_shapes=SHAPES, caffe=rfcn).fatal
    assert fatal is not None and fatal.where.startswith("psroi_pooling_layer"), fatal
    assert fatal.layer == "psroipooled_cls_rois", fatal
