"""Fork-oracle tier: SSD and R-FCN ``--replace-head`` results built by the brocolli fork Caffe.

Upstream Caffe lacks PriorBox, MultiBoxLoss, PSROIPooling... (test_oracle.py), so the SSD and
R-FCN golden cases are built here by the fork build, and only where tests/caffe/fork_oracle.json
vouches for every fork layer the net uses (SSD's DetectionEvaluate and R-FCN's OHEM layers are
not: those nets skip here, naming the layer, and are built by their own fork's Caffe in
test_det_fork_oracle.py).  Data layers are swapped for Input and Python layers
stood in for, as ``ptx check`` does.  For each net: the edited net builds, its class-carrying
blobs have N + 1 classes where the fork computes them (SSD conf = priors x (N+1), R-FCN score
maps (N+1) x k x k and PSROIPooling output N+1), and weights the fork saved for the original
net copy into every layer but the renamed heads.  The control (conf layers changed alone,
num_classes left at 21) is flagged by ptx lint (PTX309) and aborts in the fork.  Without the fork build these tests skip
(CI builds upstream only).
"""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.cli import main
from prototxt_tools.edits import apply_edits
from prototxt_tools.passes import get_pass

from ..caffe.forkbuild import fork_prefix, fork_record, fork_types  # noqa: F401 (a fixture)
from .cases import CASES, SSD
from .test_oracle import _check, _read

pytestmark = pytest.mark.oracle

FALLBACK = (1, 3, 300, 300)
ROIS = 4
FORK_CASES = [pytest.param(rel, params["n"], family, id=name) for name, rel, params, family in CASES
              if family in ("ssd", "r-fcn") and "n" in params]


def _phase(rel: str) -> str:
    return "TRAIN" if "train" in rel.rsplit("/", 1)[1] or "ohem" in rel else "TEST"


def _vouched_text(rel: str) -> str:
    """The corpus net, or a skip naming the fork layers fork_oracle.json does not vouch for."""
    text = _read(rel)
    record = fork_record(rel)
    assert record is not None, f"fork_oracle.json names no fork for {rel}"
    unvouched = sorted(fork_types(prototxt_tools.load(text).net.layers) - set(record["vouched"]))
    if unvouched:
        why = "; ".join(f"{t}: {record['not_vouched'].get(t, 'not in fork_oracle.json')}"
                        for t in unvouched)
        pytest.skip(f"brocolli does not vouch for {', '.join(unvouched)} ({why})")
    return text


def _build(text: str, rel: str, prefix: str, **kwargs):
    result = _check(text, phase=_phase(rel), fallback_shape=FALLBACK, caffe=prefix,
                    input_shapes={"rois": (ROIS, 5)} if "rois" in _python_tops(text) else None, **kwargs)
    assert result.fatal is None, result.fatal
    return result


def _python_tops(text: str) -> set:
    """Tops written by layers (not net inputs): the Python proposal's rois get a real shape."""
    return {top for layer in prototxt_tools.load(text).net.layers
            if layer.type == "Python" for top in layer.tops}


def _edited(text: str, n: int) -> str:
    return prototxt_tools.edit(text, [("replace_head", {"n": n})]).text


def _renamed_heads(original: str, edited: str) -> set:
    before = {layer.name for layer in prototxt_tools.load(original).net.layers}
    return {layer.name for layer in prototxt_tools.load(edited).net.layers} - before


def _assert_ssd_classes(blobs: dict, heads, n: int) -> None:
    """Each conf layer: priors per location (loc channels / 4) x (N+1); all of them together:
    the fork's prior count x (N+1)."""
    confs = [top for layer in heads for top in layer.tops]
    assert confs, "no SSD conf layer was replaced"
    for conf in confs:
        loc = blobs[conf.replace("conf", "loc")]
        assert blobs[conf][1] * 4 == loc[1] * (n + 1), (conf, blobs[conf], loc)
    priors = blobs["mbox_priorbox"][2] // 4
    assert blobs["mbox_conf"][1] == priors * (n + 1), (blobs["mbox_conf"], priors)


def _assert_rfcn_classes(blobs: dict, before: dict, n: int) -> None:
    """Position-sensitive score maps (N+1) x k x k, pooled to N+1 maps of k x k; box maps kept."""
    pooled = blobs["psroipooled_cls_rois"]
    assert pooled[1] == n + 1, pooled
    assert blobs["rfcn_cls"][1] == (n + 1) * pooled[2] * pooled[3], blobs["rfcn_cls"]
    assert blobs["cls_prob"][1] == n + 1
    assert blobs["psroipooled_loc_rois"] == before["psroipooled_loc_rois"]


@pytest.mark.parametrize("rel, n, family", FORK_CASES)
def test_the_edited_net_builds_with_n_plus_background_classes(fork_prefix, rel, n, family):
    original = _vouched_text(rel)
    edited = _edited(original, n)
    before = dict(_build(original, rel, fork_prefix).blobs)
    blobs = dict(_build(edited, rel, fork_prefix).blobs)
    if family == "ssd":
        heads = [layer for layer in prototxt_tools.load(edited).net.layers
                 if layer.name in _renamed_heads(original, edited)]
        _assert_ssd_classes(blobs, heads, n)
    else:
        _assert_rfcn_classes(blobs, before, n)


@pytest.mark.parametrize("rel, n, family", FORK_CASES)
def test_weights_of_the_original_copy_except_renamed_heads(fork_prefix, tmp_path, rel, n, family):
    original = _vouched_text(rel)
    weights = str(tmp_path / "original.caffemodel")
    saved = _build(original, rel, fork_prefix, save_weights=weights)
    if not saved.params:
        pytest.skip("the net has no learnable layer: nothing to copy")
    edited = _edited(original, n)
    after = _build(edited, rel, fork_prefix, weights=weights)
    heads = _renamed_heads(original, edited)
    learnable = set(after.params)
    assert heads and heads <= learnable, heads
    assert set(after.weights.not_in_weights) == heads
    assert set(after.weights.copied) == learnable - heads
    assert set(saved.params) - set(after.weights.copied) <= set(after.weights.ignored)


@pytest.mark.parametrize("name, phase, guard", [
    ("MobileNetSSD_train.prototxt", "TRAIN", "multibox_loss_layer"),
    ("MobileNetSSD_deploy.prototxt", "TEST", "reshape_layer")])
def test_ssd_conf_layers_changed_alone_flagged_by_lint_and_abort_in_the_fork(
        fork_prefix, tmp_path, capsys, name, phase, guard):
    """The control: every conf layer at priors x 5, MultiBoxLoss/DetectionOutput and the conf
    Reshape left at 21 classes (what a hand edit often does)."""
    rel = SSD + name
    text = _vouched_text(rel)
    before = dict(_build(text, rel, fork_prefix).blobs)
    forced = text
    for conf in [layer.name for layer in prototxt_tools.load(text).net.layers
                 if layer.name.endswith("_mbox_conf")]:
        edits = get_pass("num_output").run(prototxt_tools.load(forced), layer=conf,
                                           n=before[conf][1] // 21 * 5).edits
        forced = apply_edits(forced, edits)
    path = tmp_path / name
    path.write_text(forced, encoding="utf-8")
    assert main(["lint", str(path), "--select", "PTX309"]) == 1
    assert "num_classes 21" in capsys.readouterr().out
    fatal = _check(forced, phase=phase, fallback_shape=FALLBACK, caffe=fork_prefix).fatal
    assert fatal is not None and fatal.where.startswith(guard), fatal
