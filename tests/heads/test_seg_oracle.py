"""Oracle tier for the segmentation families: ``--replace-head`` results built by each
net's own Caffe.

- SegNet (SegNet-Tutorial's segnet_train and segnet_basic_train) in alexgkendall/caffe-segnet
  (Upsample with the pooling mask as bottom[1], BN, SoftmaxWithLoss class_weighting).
- PSPNet (soeaver's psp_resnet101-v2-merge: Interp, ImageSegData, SegAccuracy) in hszhao/PSPNet.
- DeepLab-v2 ASPP: the corpus DeepLab nets are shell templates, so two small hand-written
  nets (fixtures/heads/): one with upstream layers only (fixed bilinear Deconvolution + Crop),
  built by upstream BVLC Caffe; one with DeepLab's Interp and ImageSegData, built by the
  PSPNet fork (DeepLab v2's Caffe).

Data layers are swapped for Input as ``ptx check`` does (DenseImageData and ImageSegData give
one label per pixel).  For each net: the edited net builds with N channels at every score
map and upsampled score, and weights the fork saved for the original net copy into every
layer but the renamed heads.  The controls are what a hand edit does: the head changed
alone (SegNet's class weights, PSPNet's auxiliary head, one ASPP branch) -- flagged by ptx,
and aborted or silently accepted by the fork, as measured here.  The fork builds come from
b12's ``tools/build-caffe.sh`` (``~/.cache/ptx/caffe-<fork>``); without them those tests skip.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import prototxt_tools
from prototxt_tools.caffe.runner import pycaffe_path
from prototxt_tools.cli import main
from prototxt_tools.edits import apply_edits
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.model import edit_model
from prototxt_tools.weights import COPIED, FILLER, preview_for_file
from prototxt_tools.passes import get_pass

from ..caffe.forkbuild import BUILDS, input_shapes, judged_nets, require_build
from .cases import CASES, SEGNET
from .test_oracle import _check, _read

pytestmark = pytest.mark.oracle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "heads"
CAMVID = (1, 3, 360, 480)   # segnet_train's Upsample sizes (23x30, 45x60) fix it to 360x480
WEIGHT_ABORT = "Number of class weight values does not match the number of classes"


@pytest.fixture(scope="module")
def segnet_caffe():
    return require_build("segnet")


@pytest.fixture(scope="module")
def pspnet_caffe():
    return require_build("pspnet")


@pytest.fixture(scope="module")
def upstream_caffe():
    if pycaffe_path() is None:
        pytest.skip("pycaffe not importable: build it with tools/build-caffe.sh")
    return None


def _case(name: str):
    return next((rel, params) for case, rel, params, _ in CASES if case == name)


def _edited(text: str, **params) -> str:
    return prototxt_tools.edit(text, [("replace_head", params)]).text


def _renamed(original: str, edited: str) -> set:
    before = {layer.name for layer in prototxt_tools.load(original).net.layers}
    return {layer.name for layer in prototxt_tools.load(edited).net.layers} - before


def _built(text: str, caffe, **kwargs):
    result = _check(text, caffe=caffe, **kwargs)
    assert result.fatal is None, result.fatal
    return result


def _assert_copy_except_heads(saved, after, heads: set) -> None:
    """Caffe's copy of the original's weights: every learnable layer but the renamed heads."""
    learnable = set(after.params)
    assert heads and heads <= learnable, heads
    assert set(after.weights.not_in_weights) == heads
    assert set(after.weights.copied) == learnable - heads
    assert set(saved.params) - set(after.weights.copied) <= set(after.weights.ignored)


def _assert_preview_agrees(edited: str, weights: str, after, **shapes) -> None:
    """ptx's weight-copy preview (``lint --weights``) says what the fork did: the layers
    Caffe copied are COPIED, the ones it left at their fillers are FILLER, nothing fails."""
    preview = preview_for_file(prototxt_tools.load(edited), weights, input_shapes=shapes or None)
    status = {o.layer: o.status for o in preview.outcomes}
    assert not preview.failures, [o.message for o in preview.failures]
    assert {n for n, s in status.items() if s == COPIED} == set(after.weights.copied)
    assert {n for n, s in status.items() if s == FILLER} == set(after.weights.not_in_weights)


def _lint_309(tmp_path, text: str, capsys) -> str:
    path = tmp_path / "edited.prototxt"
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", str(path), "--select", "PTX309"]) == 1
    return capsys.readouterr().out


# --- SegNet (alexgkendall/caffe-segnet) ----------------------------------------------------

SEGNETS = ["segnet_train", "segnet_basic_train"]
SEGNET_HEADS = {"segnet_train": "conv1_1_D", "segnet_basic_train": "conv_classifier"}


def _segnet(text: str, caffe, **kwargs):
    return _built(text, caffe, input_shapes={"data": CAMVID}, **kwargs)


@pytest.mark.parametrize("name", SEGNETS)
def test_segnet_result_builds_with_n_channels(segnet_caffe, name):
    """The golden edits (segnet_train with the user's 4 class weights, segnet_basic_train with
    the weights dropped): both Upsample chains (sizes given, and scale 2 with pad_out_h) and
    the BN layers build; the classifier and the loss see N channels at full size; every
    other learnable layer keeps its parameter shapes."""
    rel, params = _case(name)
    original = _read(rel)
    before = _segnet(original, segnet_caffe)
    after = _segnet(_edited(original, **params), segnet_caffe)
    assert {"Upsample", "BN"} <= {layer_type for _, layer_type in after.layers}
    head = SEGNET_HEADS[name]
    assert dict(before.blobs)[head] == (1, 11) + CAMVID[2:]
    assert dict(after.blobs)[head + "_new"] == (1, 4) + CAMVID[2:]
    assert after.params[head + "_new"][0][0] == 4
    unchanged = {k: v for k, v in before.params.items() if k != head}
    assert {k: v for k, v in after.params.items() if k != head + "_new"} == unchanged


@pytest.mark.parametrize("name", SEGNETS)
def test_segnet_weights_copy_except_the_classifier(segnet_caffe, tmp_path, name):
    rel, params = _case(name)
    original = _read(rel)
    weights = str(tmp_path / "segnet.caffemodel")
    saved = _segnet(original, segnet_caffe, save_weights=weights)
    edited = _edited(original, **params)
    after = _segnet(edited, segnet_caffe, weights=weights)
    _assert_copy_except_heads(saved, after, {SEGNET_HEADS[name] + "_new"})
    _assert_preview_agrees(edited, weights, after, data=CAMVID)


def test_segnet_old_class_weights_refused_by_ptx_and_abort_in_the_fork(segnet_caffe, tmp_path,
                                                                      capsys):
    """The head replaced, the 11 class weights kept with weight_by_label_freqs on: ptx
    refuses it, lint flags it, and the fork aborts at the loss's setup, as ptx says."""
    rel, _ = _case("segnet_train")
    original = _read(rel)
    with pytest.raises(PtxError, match="aborts at setup"):
        _edited(original, n=4)
    off = original.replace("weight_by_label_freqs: true", "weight_by_label_freqs: false")
    kept = _edited(off, n=4).replace("weight_by_label_freqs: false", "weight_by_label_freqs: true")
    assert "conv1_1_D_new 4, loss class_weighting 11 values" in _lint_309(tmp_path, kept, capsys)
    fatal = _check(kept, caffe=segnet_caffe, input_shapes={"data": CAMVID}).fatal
    assert fatal is not None and WEIGHT_ABORT in fatal.message, fatal
    assert fatal.layer == "loss"


def test_segnet_class_weights_unused_without_the_flag(segnet_caffe):
    """With weight_by_label_freqs off the fork ignores the list: 11 values for 4 classes
    build, as ptx's note says (the edit keeps them)."""
    rel, _ = _case("segnet_train")
    text = _read(rel).replace("weight_by_label_freqs: true", "weight_by_label_freqs: false")
    outcome = prototxt_tools.edit(text, [("replace_head", {"n": 4})])
    assert any("unused while weight_by_label_freqs is off" in n for n in outcome.notes)
    assert outcome.text.count("class_weighting:") == 11
    assert dict(_segnet(outcome.text, segnet_caffe).blobs)["conv1_1_D_new"][1] == 4


def test_segnet_classifier_changed_alone(segnet_caffe, tmp_path, capsys):
    """What a hand edit does: conv_classifier set to 4, its name and the class weights
    left.  Lint flags the weights; the fork aborts at the loss; with the weights off too it
    builds, but the original's 11-class weights no longer copy into the classifier."""
    rel, _ = _case("segnet_basic_train")
    original = _read(rel)
    weights = str(tmp_path / "segnet_basic.caffemodel")
    _segnet(original, segnet_caffe, save_weights=weights)
    forced = _pass(original, "num_output", layer="conv_classifier", n=4)
    assert "conv_classifier 4, loss class_weighting 11 values" in _lint_309(tmp_path, forced,
                                                                            capsys)
    fatal = _check(forced, caffe=segnet_caffe, input_shapes={"data": CAMVID}).fatal
    assert fatal is not None and WEIGHT_ABORT in fatal.message, fatal
    unweighted = forced.replace("weight_by_label_freqs: true", "weight_by_label_freqs: false")
    path = tmp_path / "unweighted.prototxt"
    path.write_text(unweighted, encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", str(path), "--fork", "segnet", "--weights", weights]) == 1
    assert "PTX506 [error] Cannot copy param 0 weights from layer 'conv_classifier'" in \
        capsys.readouterr().out
    fatal = _check(unweighted, caffe=segnet_caffe, input_shapes={"data": CAMVID},
                   weights=weights).fatal   # this Caffe's copy check names no layer
    assert fatal is not None and "shape mismatch" in fatal.message, fatal


@pytest.mark.parametrize("train, inference", [
    ("segnet_train", "segnet_inference.prototxt"),
    ("segnet_basic_train", "segnet_basic_inference.prototxt")])
def test_segnet_model_files_edited_together_agree_in_the_fork(segnet_caffe, tmp_path, train,
                                                              inference):
    """The train and inference nets edited in one command: what the fork trains in the
    first (saved here) copies into every layer of the second, the new classifier included,
    and the inference net's Softmax gives 4 class maps."""
    rel, params = _case(train)
    texts = [_read(rel), _read(SEGNET + inference)]
    files = [prototxt_tools.load(text) for text in texts]
    outcomes = edit_model(files, [("replace_head", params)])
    weights = str(tmp_path / "trained.caffemodel")
    _segnet(outcomes[0].text, segnet_caffe, save_weights=weights)
    served = _segnet(outcomes[1].text, segnet_caffe, phase="TEST", weights=weights)
    assert dict(served.blobs)["prob"] == (1, 4) + CAMVID[2:]
    assert set(served.weights.copied) == set(served.params)
    assert served.weights.not_in_weights == []


def _pass(text: str, name: str, **params) -> str:
    edits = get_pass(name).run(prototxt_tools.load(text), **params).edits
    return apply_edits(text, edits)


# --- PSPNet (hszhao/PSPNet) ----------------------------------------------------------------

PSP_HEADS = {"score_map": "score_map_interp", "auxi_score_map": "auxi_score_map_interp"}


def test_pspnet_result_builds_with_n_channels_at_both_scores(pspnet_caffe):
    """ImageSegData (crop 513, per-pixel labels) swapped for Input; the main and the
    auxiliary score maps, their Interp to 513x513, SegAccuracy and SoftmaxWithLoss build
    with 4 classes."""
    rel, params = _case("pspnet")
    original = _read(rel)
    after = _built(_edited(original, **params), pspnet_caffe)
    assert {"Interp", "SegAccuracy"} <= {layer_type for _, layer_type in after.layers}
    blobs = dict(after.blobs)
    for head, upsampled in PSP_HEADS.items():
        assert blobs[head + "_new"][:2] == (1, 4), head
        assert blobs[upsampled] == (1, 4, 513, 513), upsampled
    assert blobs["label"] == (1, 1, 513, 513)


def test_pspnet_weights_copy_except_both_heads(pspnet_caffe, tmp_path):
    rel, params = _case("pspnet")
    original = _read(rel)
    weights = str(tmp_path / "psp.caffemodel")
    saved = _built(original, pspnet_caffe, save_weights=weights)
    edited = _edited(original, **params)
    after = _built(edited, pspnet_caffe, weights=weights)
    _assert_copy_except_heads(saved, after, {h + "_new" for h in PSP_HEADS})
    _assert_preview_agrees(edited, weights, after)


def test_pspnet_main_head_changed_alone_builds_silently_lint_flags_it(pspnet_caffe, tmp_path,
                                                                       capsys):
    """score_map set to 4, the auxiliary head left at 21: both losses read the same label,
    so one task has two class counts.  The fork builds it without a word (the auxiliary
    loss trains 21 classes); ptx lint says so."""
    rel, _ = _case("pspnet")
    forced = _pass(_read(rel), "num_output", layer="score_map", n=4)
    assert "auxi_score_map 21" in _lint_309(tmp_path, forced, capsys)
    blobs = dict(_built(forced, pspnet_caffe).blobs)
    assert blobs["score_map_interp"][1] == 4 and blobs["auxi_score_map_interp"][1] == 21


# --- DeepLab-v2 ASPP (hand-written fixtures) -----------------------------------------------

ASPP = [f"fc8_voc12_{i}" for i in range(1, 5)]
DEEPLAB_NETS = [pytest.param("deeplab_aspp_upstream.prototxt", "upstream_caffe", "fc8_crop",
                             ASPP + ["fc8_up"], id="upstream-deconv"),
                pytest.param("deeplab_aspp.prototxt", "pspnet_caffe", "fc8_interp", ASPP,
                             id="pspnet-interp")]


def _fixture(name: str) -> str:
    with open(FIXTURES / name, newline="", encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("name, build, score, heads", DEEPLAB_NETS)
def test_deeplab_every_aspp_branch_builds_with_n_channels(request, tmp_path, name, build,
                                                           score, heads):
    caffe = request.getfixturevalue(build)
    original = _fixture(name)
    weights = str(tmp_path / "aspp.caffemodel")
    saved = _built(original, caffe, save_weights=weights)
    edited = _edited(original, n=5)
    after = _built(edited, caffe, weights=weights)
    blobs = dict(after.blobs)
    assert blobs[score] == (1, 5, 65, 65)
    for head in ASPP:
        assert blobs[head + "_new"] == (1, 5, 17, 17), head
    _assert_copy_except_heads(saved, after, {h + "_new" for h in heads})
    _assert_preview_agrees(edited, weights, after)


@pytest.mark.parametrize("name, build, score, heads", DEEPLAB_NETS)
def test_deeplab_one_branch_changed_alone_refused_by_ptx_and_aborts(request, name, build,
                                                                    score, heads):
    caffe = request.getfixturevalue(build)
    original = _fixture(name)
    with pytest.raises(PtxError, match="fc8_voc12"):
        prototxt_tools.edit(original, [("num_output", {"layer": "fc8_voc12_2", "n": 5})])
    forced = _pass(original, "num_output", layer="fc8_voc12_2", n=5)
    fatal = _check(forced, caffe=caffe).fatal
    assert fatal is not None and fatal.where.startswith("eltwise_layer"), fatal


def test_deeplab_test_net_with_dense_crf_builds_with_n_channels(pspnet_caffe):
    """DeepLab's TEST net: ImageSegData also gives each image's size (data_dim, N x 1 x 1 x 2)
    to a DenseCRF over the upsampled scores; the CRF has no parameters, so it keeps its name
    and infers over the 5 new classes."""
    original = _fixture("deeplab_aspp.prototxt")
    edited = _edited(original, n=5)
    assert 'name: "crf"' in edited
    blobs = dict(_built(edited, pspnet_caffe, phase="TEST").blobs)
    assert blobs["data_dim"] == (1, 1, 1, 2)
    assert blobs["crf_inf"] == (1, 5, 65, 65)


# --- every net the segmentation fork builds judge --------------------------------------------

def _judged():
    """(build, corpus file, phase) for every corpus net a segmentation fork build judges and
    builds as it stands (fork_oracle.json's record): one phase per net, TEST for nets named
    inference/deploy, else TRAIN."""
    cases = []
    for build in ("segnet", "pspnet"):
        for entry in judged_nets(build):
            phase = "TEST" if any(w in entry.rel for w in ("inference", "deploy")) else "TRAIN"
            if BUILDS[build]["nets"].get(f"{entry.rel} {phase}") == "builds":
                cases.append(pytest.param(build, entry.rel, phase, id=f"{build}: {entry.rel}"))
    return cases


@pytest.mark.parametrize("build, rel, phase", _judged())
def test_every_judged_net_builds_in_its_fork_after_the_edit(build, rel, phase):
    """--replace-head 4 (class weights dropped where the loss reads them) on every
    SegNet-Tutorial and PSPNet net the forks build: the edited net builds too, and every
    renamed head's top has 4 channels."""
    caffe = require_build(build)
    original = _read(rel)
    edited = _edited(original, n=4, drop_class_weighting=True)
    heads = _renamed(original, edited)
    assert heads, "no head was replaced"
    result = _built(edited, caffe, phase=phase, input_shapes=input_shapes(build, rel) or None)
    blobs = dict(result.blobs)
    for layer in prototxt_tools.load(edited).net.layers:
        if layer.name in heads:
            assert blobs[layer.tops[0]][1] == 4, (layer.name, blobs[layer.tops[0]])
