"""Strategies on nets without a loss, and what fine-tune-all does to BatchNorm
(issue 13 items 2 and 4)."""
from __future__ import annotations

import re

import pytest

import prototxt_tools
from corpus import CORPUS, files_of, require_corpus
from prototxt_tools.errors import PtxError
from prototxt_tools.passes.heads import find_heads
from prototxt_tools.passes.strategy import explain
from prototxt_tools.summary import layer_rows, totals

RESNET50 = "files/KaimingHe__deep-residual-networks/prototxt/ResNet-50-deploy.prototxt"


def _deploy_nets():
    """V2 corpus nets with a head and no loss layer: what users fine-tune from."""
    found = []
    for f in files_of("net"):
        if f.format != "v2":
            continue
        try:
            ptx_file = prototxt_tools.load(str(f.path))
        except PtxError:
            continue
        if not ptx_file.graph("TRAIN").loss_layers() and find_heads(ptx_file):
            found.append(pytest.param(f, id=f.rel))
    return found or [pytest.param(None, id="corpus-missing")]


def _rows(ptx_file):
    return layer_rows(ptx_file.graph("TRAIN").layers())


@pytest.mark.parametrize("corpus_file", _deploy_nets())
def test_feature_extractor_freezes_a_deploy_net(corpus_file):
    """Every learnable layer but the heads ends frozen, as ``ptx show`` counts them."""
    require_corpus()
    ptx_file = prototxt_tools.load(str(corpus_file.path))
    heads = set(find_heads(ptx_file))
    outcome = prototxt_tools.edit(ptx_file, [("strategy", {"name": "feature-extractor"})])
    rows = _rows(prototxt_tools.load(outcome.text))
    learnable = [r for r in rows if r["param_blobs"] and r["type"] != "BatchNorm"]
    others = [r for r in learnable if r["name"] not in heads]
    assert others and all(r["frozen"] for r in others), corpus_file.rel
    assert outcome.changes


def test_explain_counts_what_show_counts():
    require_corpus()
    ptx_file = prototxt_tools.load(str(CORPUS / RESNET50))
    counts = totals(_rows(ptx_file))
    assert counts["learnable"] == 107
    text = explain(ptx_file)
    assert "107 learnable layers (and 53 BatchNorm), 0 frozen" in text
    fraction = re.search(r"froze (\d+) of (\d+) learnable", text)
    assert fraction and int(fraction.group(2)) == 107


def test_freeze_fraction_and_replace_head_on_a_deploy_net():
    require_corpus()
    path = str(CORPUS / RESNET50)
    outcome = prototxt_tools.edit(path, [("replace_head", {"n": 20}),
                                         ("strategy", {"name": "feature-extractor"})])
    assert any(c.startswith("frozen: conv1,") for c in outcome.changes)
    half = prototxt_tools.edit(path, [("freeze_fraction", {"fraction": 0.5})])
    frozen = [r for r in _rows(prototxt_tools.load(half.text)) if r["frozen"]]
    assert 40 <= len(frozen) <= 70


RESNET_BN = """name: "bn"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 0 decay_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 bias_term: false } }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1"
  batch_norm_param { use_global_stats: true } }
layer { name: "scale1" type: "Scale" bottom: "conv1" top: "conv1" scale_param { bias_term: true } }
layer { name: "conv2" type: "Convolution" bottom: "conv1" top: "conv2"
  convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "conv2" top: "fc" inner_product_param { num_output: 2 } }
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
"""


def test_fine_tune_all_keeps_batchnorm_statistics_and_reports_only_changes():
    outcome = prototxt_tools.edit(RESNET_BN, [("strategy", {"name": "fine-tune-all"})])
    assert "use_global_stats: true" in outcome.text
    unfrozen = [c for c in outcome.changes if c.startswith("unfrozen:")]
    assert unfrozen == ["unfrozen: conv1 (lr_mult 1, bias 2)"]     # not conv2, scale1, bn1
    assert any("--bn-stats" in n for n in outcome.notes)


def test_bn_stats_option_turns_statistics_back_on():
    outcome = prototxt_tools.edit(RESNET_BN, [("strategy", {"name": "fine-tune-all",
                                                            "bn_stats": True})])
    assert "use_global_stats" not in outcome.text
    assert any(c.startswith("BatchNorm statistics move again") and "bn1" in c
               for c in outcome.changes)


def test_bn_stats_is_a_documented_flag(capsys):
    from corpus import REPO
    from prototxt_tools.cli import main
    assert "--bn-stats" in (REPO / "README.md").read_text(encoding="utf-8")
    try:
        main(["edit", "--help"])
    except SystemExit:
        pass
    assert "--bn-stats" in capsys.readouterr().out
