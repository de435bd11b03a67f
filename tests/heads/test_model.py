"""Train, test and deploy nets of one model edited together (API and ``ptx edit``)."""
from __future__ import annotations

import shutil

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.cli import main
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.census import census
from prototxt_tools.heads.model import edit_model

from .cases import FCN, FRCNN, SSD

SSD_FILES = [SSD + f"MobileNetSSD_{kind}.prototxt" for kind in ("train", "test", "deploy")]
PASSES = [("replace_head", {"n": 4})]


def _copy(tmp_path, rels):
    require_corpus()
    out = []
    for rel in rels:
        target = tmp_path / rel.rsplit("/", 1)[1]
        shutil.copyfile(CORPUS / rel, target)
        out.append(str(target))
    return out


def test_ssd_model_edited_together_agrees():
    require_corpus()
    files = [prototxt_tools.load(str(CORPUS / rel)) for rel in SSD_FILES]
    outcomes = edit_model(files, PASSES)
    for outcome in outcomes:
        result = prototxt_tools.load(outcome.text)
        assert {p.classes for p in census(result)} == {5}
        assert result.net.layer_by_name("conv13_mbox_conf_new")


def test_a_head_kept_in_one_file_refuses_all(tmp_path):
    train, test = _copy(tmp_path, [FRCNN + "train.prototxt", FRCNN + "test.prototxt"])
    text = open(test, encoding="utf-8").read().replace("num_output: 84", "num_output: 8")
    open(test, "w", encoding="utf-8").write(text)
    files = [prototxt_tools.load(train), prototxt_tools.load(test)]
    with pytest.raises(PtxError, match="'bbox_pred' was renamed in train.prototxt but kept "
                                       "in test.prototxt"):
        edit_model(files, PASSES)


def test_cli_several_files_in_place(tmp_path, capsys):
    paths = _copy(tmp_path, SSD_FILES)
    before = [open(p, encoding="utf-8").read() for p in paths]
    assert main(["edit", *paths, "--replace-head", "4", "--in-place"]) == 0
    err = capsys.readouterr().err
    assert all(f"{p}: written" in err for p in paths)
    for path, old in zip(paths, before):
        assert open(path, encoding="utf-8").read() != old
    assert main(["edit", *paths, "--replace-head", "4", "--check"]) == 0   # idempotent


def test_cli_solver_edits_its_nets(tmp_path, capsys):
    train, test = _copy(tmp_path, SSD_FILES[:2])
    solver = tmp_path / "solver.prototxt"
    solver.write_text('train_net: "MobileNetSSD_train.prototxt"\n'
                      'test_net: "MobileNetSSD_test.prototxt"\nbase_lr: 0.001\n', encoding="utf-8")
    assert main(["edit", str(solver), "--replace-head", "4", "--check"]) == 1
    err = capsys.readouterr().err
    assert "MobileNetSSD_train.prototxt: would change" in err
    assert "MobileNetSSD_test.prototxt: would change" in err


def test_cli_several_files_need_a_destination(tmp_path, capsys):
    paths = _copy(tmp_path, SSD_FILES[:2])
    assert main(["edit", *paths, "--replace-head", "4"]) == 2
    assert "--in-place, --diff or --check" in capsys.readouterr().err


def test_lint_compares_a_deploy_net_with_the_training_net_beside_it(tmp_path, capsys):
    """PTX309 across a model's files: deploy edited alone, training net left at 21."""
    require_corpus()
    shutil.copyfile(CORPUS / (FCN + "voc-fcn8s/train.prototxt"), tmp_path / "train.prototxt")
    deploy = prototxt_tools.edit(str(CORPUS / (FCN + "voc-fcn8s/deploy.prototxt")),
                                 [("replace_head", {"n": 5})]).text
    (tmp_path / "deploy.prototxt").write_text(deploy, encoding="utf-8")
    assert main(["lint", str(tmp_path / "deploy.prototxt"), "--select", "PTX309"]) == 1
    assert "has 5 classes (score_fr_new 5) but the training net" in capsys.readouterr().out
    both = prototxt_tools.edit(str(CORPUS / (FCN + "voc-fcn8s/train.prototxt")),
                               [("replace_head", {"n": 5})]).text
    (tmp_path / "train.prototxt").write_text(both, encoding="utf-8")
    assert main(["lint", str(tmp_path / "deploy.prototxt"), "--select", "PTX309"]) == 0
