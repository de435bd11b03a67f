"""ptx diff: the fine-tuning fixture pair, renames, corpus self-diffs, CLI exit codes and JSON."""
from __future__ import annotations

import json

import pytest

from corpus import REPO, params
from prototxt_tools.api import load
from prototxt_tools.cli import main
from prototxt_tools.diff import compare_files, diff_files, diff_nets
from prototxt_tools.errors import PtxError

BASE = str(REPO / "fixtures" / "finetune" / "base.prototxt")
TUNED = str(REPO / "fixtures" / "finetune" / "tuned.prototxt")


def by_name(diffs):
    return {(d.b or d.a): d for d in diffs}


def test_fixture_pair():
    diffs, net_changes = diff_files(BASE, TUNED)
    found = by_name(diffs)
    assert net_changes == []
    assert found["conv1"].status == "changed" and found["conv1"].freeze_change == "frozen"
    assert found["conv1"].lr_b == [[0.0, 0.0], [0.0, 0.0]]
    assert found["reduce"].status == "added" and found["reduce"].fresh
    assert found["drop2"].status == "removed"
    fc = found["fc_flowers"]
    assert fc.status == "renamed" and fc.a == "fc" and fc.fresh and fc.lr_changed
    assert ("inner_product_param.num_output", "1000", "17") in fc.fields
    assert [d.status for d in diffs if d.b in ("data", "relu1", "pool1", "conv2")] == ["same"] * 4
    assert found["loss"].wiring == [("bottom", ["fc", "label"], ["fc_flowers", "label"])]


def test_reverse_direction_unfreezes():
    diffs, _ = diff_files(TUNED, BASE)
    found = by_name(diffs)
    assert found["conv1"].freeze_change == "unfrozen"
    assert found["fc"].status == "renamed" and found["reduce"].status == "removed"


def test_rename_needs_evidence():
    a = 'layer { name: "a" type: "ReLU" bottom: "x" top: "y" }'
    b = 'layer { name: "b" type: "Sigmoid" bottom: "x" top: "y" }'
    diffs = diff_nets(load(a + "\n").net, load(b + "\n").net)
    assert sorted(d.status for d in diffs) == ["added", "removed"]   # type differs: no rename
    c = 'layer { name: "c" type: "ReLU" bottom: "x" top: "y" }'
    diffs = diff_nets(load(a + "\n").net, load(c + "\n").net)
    assert [d.status for d in diffs] == ["renamed"]


def test_field_changes_of_repeated_and_nested_values():
    a = 'layer { name: "c" type: "Convolution" convolution_param { kernel_size: 3 pad: 1 } }\n'
    b = 'layer { name: "c" type: "Convolution" convolution_param { kernel_size: 3 kernel_size: 5 } }\n'
    diff = diff_nets(load(a).net, load(b).net)[0]
    assert set(diff.fields) == {("convolution_param.pad", "1", None),
                                ("convolution_param.kernel_size[1]", None, "5")}


def test_cli_text_and_exit_codes(capsys):
    assert main(["diff", BASE, TUNED]) == 1
    out = capsys.readouterr().out
    assert "> fc -> fc_flowers (InnerProduct): renamed; starts from its filler" in out
    assert "lr_mult: 1, 1 -> 10, 20 (boosted)" in out
    assert main(["diff", BASE, BASE]) == 0
    assert "0 added, 0 removed, 0 renamed, 0 changed" in capsys.readouterr().out


def test_cli_json(capsys):
    assert main(["diff", BASE, TUNED, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["different"] is True
    statuses = {layer["b"] or layer["a"]: layer["status"] for layer in doc["layers"]}
    assert statuses["fc_flowers"] == "renamed" and statuses["drop2"] == "removed"


def test_cli_bad_input(tmp_path, capsys):
    solver = tmp_path / "solver.prototxt"
    solver.write_text('base_lr: 0.01\nnet: "x.prototxt"\n')
    assert main(["diff", BASE, str(solver)]) == 2
    assert main(["diff", BASE, str(tmp_path / "missing.prototxt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net"), indirect=True)
def test_corpus_net_against_itself_is_same(corpus_file):
    try:
        diffs, net_changes = diff_files(str(corpus_file.path), str(corpus_file.path))
    except PtxError as exc:   # templates (${...}), empty files: not nets yet
        pytest.skip(f"not loadable: {exc}")
    assert net_changes == [] and all(d.status == "same" for d in diffs)


def _upgradable(corpus_file):
    from prototxt_tools.upgrade import upgrade_text
    try:
        ptx_file = load(str(corpus_file.path))
        return upgrade_text(ptx_file.text, ptx_file.path).text
    except PtxError as exc:
        pytest.skip(f"not loadable or not upgradable (covered by the upgrade tests): {exc}")


@pytest.mark.parametrize("corpus_file", params("net", formats=("v0", "v1")), indirect=True)
def test_old_net_against_its_upgrade_is_same(corpus_file, capsys):
    """A V0/V1 net and its ``ptx upgrade`` output are one net to Caffe (issue 13 item 5)."""
    upgraded = _upgradable(corpus_file)
    result = compare_files(str(corpus_file.path), upgraded)
    assert [d for d in result.layers if d.status != "same"] == [] and result.net == []
    assert any("V0 net" in n or "V1 net" in n for n in result.notes)


def test_cli_says_it_upgraded(tmp_path, capsys):
    from corpus import CORPUS, require_corpus
    require_corpus()
    old = CORPUS / "files/BVLC__caffe@v0.99/examples/cifar10/cifar10_full.prototxt"
    new = tmp_path / "new.prototxt"
    new.write_text(_upgradable(type("F", (), {"path": old})()), encoding="utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "is a V0 net: compared as Caffe loads it" in out and "0 changed" in out


def test_long_summary_lists_are_shortened(capsys):
    """Freezing 40 layers lists the first and last few in the summary, all in --json."""
    layers = "".join(f'layer {{ name: "c{i}" type: "Convolution" bottom: "{"data" if i == 0 else f"c{i-1}"}" '
                     f'top: "c{i}" convolution_param {{ num_output: 1 kernel_size: 1 }} }}\n'
                     for i in range(40))
    base = 'input: "data" input_shape { dim: 1 dim: 1 dim: 4 dim: 4 }\n' + layers
    frozen = base.replace("convolution_param", "param { lr_mult: 0 decay_mult: 0 } "
                                                "param { lr_mult: 0 decay_mult: 0 } convolution_param")
    from prototxt_tools.diff import compare_files as compare
    from prototxt_tools.diff.report import json_report, summary_line
    result = compare(base, frozen)
    line = summary_line(result.layers)
    assert "frozen: c0, c1, c2, c3, ... 34 more ..., c38, c39 (40)" in line
    doc = json_report("a", "b", *result)
    assert sum(1 for d in doc["layers"] if d["freeze_change"] == "frozen") == 40
