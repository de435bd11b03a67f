"""``finetune()`` and ``ptx finetune`` on the bundled demo (fixtures/finetune_demo): the job
folder, its decisions and checks, and nothing written when a check or the input fails.
Caffe is left out here (``caffe=False`` / ``--no-caffe``); test_oracle.py runs it."""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest

import prototxt_tools
from prototxt_tools.cli import main
from prototxt_tools.errors import PtxError
from prototxt_tools import finetune
from prototxt_tools.lint import lint_source

from .synth import synthesize

DEMO = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "finetune_demo")
NET = os.path.join(DEMO, "deploy.prototxt")
WEIGHTS = os.path.join(DEMO, "pretrained.caffemodel")
TRAIN, VAL, LABELS = (os.path.join(DEMO, n) for n in ("train.txt", "val.txt", "labels.txt"))
FILES = ["FINETUNE.md", "deploy.prototxt", "snapshots", "solver.prototxt", "train.sh",
         "train_val.prototxt"]


def test_the_job_folder(tmp_path):
    out = str(tmp_path / "job")
    result = finetune(NET, TRAIN, VAL, out, weights=WEIGHTS, caffe=False, labels=LABELS)
    assert result.ok and result.written and result.classes == 3
    assert sorted(os.listdir(out)) == FILES
    decisions = {d.topic: d for d in result.decisions}
    assert decisions["strategy"].value == "feature-extractor"
    assert "6 per class = small" in decisions["strategy"].reason
    solver = prototxt_tools.load(os.path.join(out, "solver.prototxt")).solver
    assert solver.get("test_iter") == [1] and solver.get("max_iter") == 10
    assert solver.get("snapshot_prefix").startswith("snapshots/")
    script = open(os.path.join(out, "train.sh")).read()
    assert result.command in script.replace('"${CAFFE:-caffe}"', "caffe")
    assert f"-weights {os.path.abspath(WEIGHTS)} -gpu 0" in result.command
    assert "| tee train.log" in script and os.stat(os.path.join(out, "train.sh")).st_mode & stat.S_IXUSR
    report = open(os.path.join(out, "FINETUNE.md")).read()
    assert all(f"| {topic} |" in report for topic in decisions)
    checks = {c.name: c for c in result.checks}
    assert checks["lint"].status == "ok" and checks["weights"].status == "ok"
    assert "fresh: fc2_new" in checks["weights"].summary
    assert checks["caffe"].status == "not checked"


def test_train_val_and_deploy_agree(tmp_path):
    out = str(tmp_path / "job")
    finetune(NET, TRAIN, VAL, out, weights=WEIGHTS, caffe=False)
    train_val = prototxt_tools.load(os.path.join(out, "train_val.prototxt"))
    deploy = prototxt_tools.load(os.path.join(out, "deploy.prototxt"))
    learnable = [l.name for l in train_val.graph("TEST").layers() if l.params or
                 l.type in ("Convolution", "InnerProduct")]
    assert learnable == [l.name for l in deploy.graph("TEST").layers()
                         if l.type in ("Convolution", "InnerProduct")]
    assert [l.type for l in deploy.graph("TEST").layers()][-1] == "Softmax"
    frozen = {l.name: [p.lr_mult for p in l.params] for l in train_val.net.layers if l.params}
    assert frozen == {"conv1": [0, 0], "conv2": [0, 0], "fc1": [0, 0], "fc2_new": [10, 20]}
    assert lint_source(open(os.path.join(out, "deploy.prototxt")).read()) == []


def test_a_backbone_that_would_not_copy_writes_nothing(tmp_path):
    other = tmp_path / "other.prototxt"
    other.write_text(open(NET).read().replace("num_output: 16 kernel_size: 3 pad: 1 }\n}\nlayer "
                                              "{ name: \"relu1\"", "num_output: 8 kernel_size: 3 "
                                              "pad: 1 }\n}\nlayer { name: \"relu1\""))
    wrong = str(tmp_path / "wrong.caffemodel")
    synthesize(str(other), wrong)
    out = tmp_path / "job"
    result = finetune(NET, TRAIN, VAL, str(out), weights=wrong, caffe=False)
    assert not result.ok and not result.written and not out.exists()
    weights = next(c for c in result.checks if c.name == "weights")
    assert weights.failed and any("conv1" in d for d in weights.details)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".ptx-finetune")]
    forced = finetune(NET, TRAIN, VAL, str(out), weights=wrong, caffe=False, force=True)
    assert forced.written and sorted(os.listdir(out)) == FILES
    assert "--force" in forced.summary[-2]


def test_missing_backbone_weights_fail_the_check(tmp_path):
    head_only = tmp_path / "head.prototxt"
    head_only.write_text(open(NET).read().replace('name: "conv2"', 'name: "conv2_other"'))
    weights = str(tmp_path / "w.caffemodel")
    synthesize(str(head_only), weights)
    result = finetune(NET, TRAIN, VAL, str(tmp_path / "job"), weights=weights, caffe=False)
    check = next(c for c in result.checks if c.name == "weights")
    assert check.failed and "conv2" in check.summary and not result.written


def test_bad_lists_are_refused_before_anything_is_written(tmp_path):
    bad = tmp_path / "train.txt"
    bad.write_text(open(TRAIN).read().replace(" 2\n", " 3\n"))
    with pytest.raises(PtxError) as info:
        finetune(NET, str(bad), VAL, str(tmp_path / "job"), caffe=False)
    assert "no training image has label 2" in info.value.message and info.value.line
    assert os.listdir(tmp_path) == ["train.txt"]


def test_an_existing_folder_keeps_its_other_files(tmp_path):
    out = tmp_path / "job"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "solver.prototxt").write_text("old")
    finetune(NET, TRAIN, VAL, str(out), caffe=False)
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "solver.prototxt").read_text() != "old"


def test_choices_reach_the_files(tmp_path):
    out = tmp_path / "job"
    result = finetune(NET, TRAIN, VAL, str(out), caffe=False, strategy="fine-tune-all",
                      optimizer="Adam", epochs=4, batch=4, gpu="1", mean_values=(1, 2, 3))
    solver = prototxt_tools.load(str(out / "solver.prototxt")).solver
    assert (solver.get("type"), solver.get("base_lr"), solver.get("max_iter")) == ("Adam", 0.0001, 20)
    assert result.command.endswith("-gpu 1") and "-weights" not in result.command
    text = (out / "train_val.prototxt").read_text()
    assert "mean_value: 1\n" in text and "batch_size: 4\n" in text and "lr_mult: 0" not in text


def test_detection_nets_are_not_supported_yet(tmp_path, corpus_ssd):
    with pytest.raises(PtxError, match="not supported yet"):
        finetune(corpus_ssd, TRAIN, VAL, str(tmp_path / "job"), caffe=False)


@pytest.fixture
def corpus_ssd():
    from corpus import CORPUS, require_corpus
    require_corpus()
    found = [p for p in (CORPUS / "files").rglob("*.prototxt") if "SSD" in p.name and "deploy" in p.name]
    if not found:
        pytest.skip("no SSD deploy net in the corpus")
    return str(sorted(found)[0])


def test_cli_exit_codes_and_json(tmp_path, capsys):
    args = [NET, "--train", TRAIN, "--val", VAL, "--weights", WEIGHTS, "--no-caffe"]
    assert main(["finetune", *args, "-o", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("strategy: feature-extractor -- ") and "check caffe: not checked" in out
    assert main(["finetune", *args, "-o", str(tmp_path / "b"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["written"] and data["classes"] == 3
    assert main(["finetune", *args, "-o", str(tmp_path / "c"), "--classes", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "train.txt:" in err and "error:" in err
    shutil.copy(WEIGHTS, tmp_path / "w.caffemodel")
    other = tmp_path / "net.prototxt"
    other.write_text(open(NET).read().replace('name: "fc1"', 'name: "fc1_x"'))
    assert main(["finetune", str(other), *args[1:], "-o", str(tmp_path / "d")]) == 1
    assert "nothing written" in capsys.readouterr().out and not (tmp_path / "d").exists()


def _fake_lmdb(folder):
    folder.mkdir()
    (folder / "data.mdb").write_bytes(b"\0")
    return str(folder)


def test_lmdb_sources_become_data_layers(tmp_path, monkeypatch):
    from prototxt_tools.finetuning import job
    train, val = _fake_lmdb(tmp_path / "train_lmdb"), _fake_lmdb(tmp_path / "val_lmdb")
    with pytest.raises(PtxError, match="not an LMDB data file"):
        finetune(NET, train, val, str(tmp_path / "job"), classes=3, caffe=False)
    with pytest.raises(PtxError, match="--classes N"):
        finetune(NET, train, val, str(tmp_path / "job"), caffe=False)
    monkeypatch.setattr(job, "_lmdb_entries", lambda path: 300 if "train" in path else 90)
    result = finetune(NET, train, val, str(tmp_path / "job"), classes=3, caffe=False)
    assert result.written
    net = prototxt_tools.load(str(tmp_path / "job" / "train_val.prototxt"))
    data = [l for l in net.net.layers if l.type == "Data"]
    assert [l.node.message("data_param").scalar("source") for l in data] == [train, val]
    solver = prototxt_tools.load(str(tmp_path / "job" / "solver.prototxt")).solver
    assert (solver.get("test_iter"), solver.get("test_interval")) == ([3], 10)


def test_the_lint_check_judges_the_files_as_one_model(tmp_path):
    from prototxt_tools.finetuning.checks import lint_check
    out = tmp_path / "job"
    finetune(NET, TRAIN, VAL, str(out), caffe=False)
    clean = lint_check(str(out), ["solver.prototxt", "deploy.prototxt"], 3, None, "shown")
    assert clean.status == "ok" and "clean" in clean.summary
    deploy = out / "deploy.prototxt"
    deploy.write_text(deploy.read_text().replace("num_output: 3 ", "num_output: 4 "))
    broken = lint_check(str(out), ["solver.prototxt", "deploy.prototxt"], 3, None, "shown")
    assert broken.failed and any("PTX701" in d and d.startswith("shown/deploy.prototxt:")
                                 for d in broken.details), broken.details


def test_a_strategy_never_leaves_a_new_head_frozen(tmp_path):
    from corpus import CORPUS, require_corpus
    require_corpus()
    net = str(CORPUS / "files/BVLC__caffe/models/bvlc_googlenet/train_val.prototxt")
    result = finetune(net, TRAIN, VAL, str(tmp_path / "job"), caffe=False,
                      strategy="freeze-fraction")
    # --freeze-fraction stops at a stage boundary, so the loss1 branch beside it is not
    # frozen any more; whichever way, the written head must train
    heads = next(c for c in result.checks if c.name == "heads")
    assert heads.status == "ok" and result.written
    layer = prototxt_tools.load(str(tmp_path / "job" / "train_val.prototxt")).net.layer_by_name(
        "loss1/classifier_new")[0]
    assert [(p.lr_mult, p.decay_mult) for p in layer.params] == [(10, 1), (20, 0)]


def test_each_list_gets_its_own_root_folder_and_labels_name_the_classes(tmp_path):
    for folder, name in (("a", "train.txt"), ("b", "val.txt")):
        (tmp_path / folder / "images").mkdir(parents=True)
        for line in open(os.path.join(DEMO, name)):
            (tmp_path / folder / line.split()[0]).write_bytes(b"x")
        shutil.copy(os.path.join(DEMO, name), tmp_path / folder / name)
    result = finetune(NET, str(tmp_path / "a" / "train.txt"), str(tmp_path / "b" / "val.txt"),
                      str(tmp_path / "job"), caffe=False, labels=LABELS)
    net = prototxt_tools.load(str(tmp_path / "job" / "train_val.prototxt")).net
    roots = [l.node.message("image_data_param").scalar("root_folder") for l in net.layers
             if l.type == "ImageData"]
    assert roots == [str(tmp_path / "a") + os.sep, str(tmp_path / "b") + os.sep]
    assert not [n for n in result.notes if "NOT verified" in n]
    classes = next(d for d in result.decisions if d.topic == "classes")
    assert classes.value == "3 (0: cat, 1: dog, 2: fox)"


@pytest.mark.parametrize("flags, words", [
    (["--batch", "0"], "--batch and --epochs must be positive"),
    (["--epochs", "-1"], "--batch and --epochs must be positive"),
    (["--strategy", "everything"], "unknown --strategy"),
    (["--optimizer", "LBFGS"], "unknown --optimizer"),
    (["--mean-values", "a,b"], "--mean-values wants numbers"),
    (["--weights", "missing.caffemodel"], "missing.caffemodel"),
])
def test_bad_choices_are_one_line_errors_and_write_nothing(tmp_path, capsys, flags, words):
    out = tmp_path / "job"
    assert main(["finetune", NET, "--train", TRAIN, "--val", VAL, "-o", str(out), "--no-caffe",
                 *flags]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and not out.exists()


def test_fork_nets_are_read_and_linted_with_the_forks_schema(tmp_path):
    fork_net = tmp_path / "net.prototxt"
    fork_net.write_text(open(NET).read().replace("pool: MAX kernel_size: 2 stride: 2 }",
                                                 "pool: MAX kernel_size: 2 stride: 2 ceil_mode: true }", 1))
    upstream = finetune(str(fork_net), TRAIN, VAL, str(tmp_path / "a"), weights=WEIGHTS, caffe=False)
    lint = next(c for c in upstream.checks if c.name == "lint")
    assert lint.failed and any("ceil_mode" in d for d in lint.details) and not upstream.written
    forked = finetune(str(fork_net), TRAIN, VAL, str(tmp_path / "b"), weights=WEIGHTS,
                      schema="fork:ceil-mode")
    assert forked.ok and forked.written
    caffe = next(c for c in forked.checks if c.name == "caffe")
    assert caffe.status == "not checked" and "fork" in caffe.summary
    assert "ceil_mode: true" in (tmp_path / "b" / "train_val.prototxt").read_text()


def test_from_scratch_gives_filler_less_layers_msra(tmp_path):
    result = finetune(NET, TRAIN, VAL, str(tmp_path / "job"), weights=WEIGHTS, caffe=False,
                      strategy="from-scratch")
    assert result.written and "-weights" not in result.command
    assert next(d for d in result.decisions if d.topic == "fillers").value == "msra on 3 layers"
    assert not [n for n in result.notes if n.startswith("no weight_filler")]
    net = prototxt_tools.load(str(tmp_path / "job" / "train_val.prototxt")).net
    fillers = {l.name: l.node.message(p).message("weight_filler").scalar("type")
               for l in net.layers for p in ("convolution_param", "inner_product_param")
               if l.node.message(p) is not None}
    assert fillers == {"conv1_scratch": "msra", "conv2_scratch": "msra", "fc1_scratch": "msra",
                       "fc2_new_scratch": "gaussian"}
