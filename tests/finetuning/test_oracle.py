"""Oracle tier: ``ptx finetune`` on the issue's five corpus nets, judged by real Caffe.

CaffeNet and GoogLeNet train_vals, ResNet-50, VGG-16 (a V1 net with input fields) and
SqueezeNet deploy nets, each with a generated 3-class list and a caffemodel synthesized
with the original's shapes: the job folder must lint clean together, every non-head layer
must copy from the weights and every new head start fresh, Caffe must build TRAIN, TEST
and the deploy net, and one SGD step must leave the frozen layers still and move the
heads (feature-extractor: the data is small).  Big nets on the CPU: about a minute.
"""
from __future__ import annotations

import os

import pytest

from corpus import CORPUS, require_corpus
from prototxt_tools.api import load
from prototxt_tools.finetuning import finetune
from prototxt_tools.lint import lint_files
from prototxt_tools.lint.config import LintConfig
from prototxt_tools.lint.context import LintOptions

from .synth import synthesize

pytestmark = pytest.mark.oracle
NETS = {
    "caffenet": "files/BVLC__caffe/models/bvlc_reference_caffenet/train_val.prototxt",
    "googlenet": "files/BVLC__caffe/models/bvlc_googlenet/train_val.prototxt",
    "resnet50": "files/KaimingHe__deep-residual-networks/prototxt/ResNet-50-deploy.prototxt",
    "vgg16": "files/ethereon__netscope/presets/vgg-16.prototxt",
    "squeezenet": "files/forresti__SqueezeNet/SqueezeNet_v1.1/deploy.prototxt",
}


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lists")
    for name, per_class in (("train.txt", 4), ("val.txt", 2)):
        with open(folder / name, "w") as fh:
            fh.writelines(f"img/{c}_{i}.jpg {c}\n" for c in range(3) for i in range(per_class))
    return str(folder / "train.txt"), str(folder / "val.txt")


@pytest.mark.parametrize("key", list(NETS))
def test_finetune_job_checks_out_in_caffe(key, lists, pycaffe, tmp_path):
    require_corpus()
    net = str(CORPUS / NETS[key])
    weights = str(tmp_path / "pretrained.caffemodel")
    stored = synthesize(net, weights)
    out = str(tmp_path / "job")
    result = finetune(net, *lists, out, weights=weights, train_steps=1)
    checks = {c.name: c for c in result.checks}
    assert result.ok and result.written, result.summary
    assert checks["caffe"].status == "ok" and checks["lint"].status == "ok"
    report = lint_files([os.path.join(out, "solver.prototxt"), os.path.join(out, "deploy.prototxt")],
                        LintConfig(), LintOptions(root=out, num_classes=3, weights=weights))
    assert [p for p in report.problems if p.severity != "info"] == []
    heads = result.heads
    assert heads and all(h.endswith("_new") for h in heads)
    old_heads = {h[:-len("_new")] for h in heads}
    assert f"fresh: {', '.join(heads)};" in checks["weights"].summary
    copied = int(checks["weights"].summary.split()[0])
    assert copied == len([n for n in stored if n not in old_heads])
    assert f"{len(heads)} trained layers moved" in checks["caffe"].summary
    frozen = [l.name for l in load(os.path.join(out, "train_val.prototxt")).net.layers
              if l.params and all(p.lr_mult == 0 for p in l.params)]
    assert f"{len(set(frozen))} frozen layers still" in checks["caffe"].summary


DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "finetune_demo")


@pytest.mark.parametrize("strategy", ["feature-extractor", "early-features", "freeze-fraction",
                                      "fine-tune-all", "from-scratch"])
def test_every_strategy_checks_out_in_caffe_on_the_demo(strategy, pycaffe, tmp_path):
    files = [os.path.join(DEMO, name) for name in ("deploy.prototxt", "train.txt", "val.txt")]
    result = finetune(*files, str(tmp_path / "job"), strategy=strategy,
                      weights=os.path.join(DEMO, "pretrained.caffemodel"))
    assert result.ok and result.written, result.summary
    caffe = next(c for c in result.checks if c.name == "caffe")
    assert caffe.status == "ok" and "fc2_new" in caffe.summary
