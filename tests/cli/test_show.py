"""ptx show on real nets: table content, phases, JSON, stdin."""
import io
import json

import pytest

from corpus import REPO
from prototxt_tools.cli import main

CAFFENET = str(REPO / "fixtures" / "caffenet" / "train_val.prototxt")


def test_show_lists_the_train_phase_with_key_params(capsys):
    assert main(["show", CAFFENET]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("CaffeNet (") and "phase TRAIN" in lines[0]
    conv2 = next(line for line in lines if " conv2 " in line)
    assert "num_output=256 kernel=5 pad=2 group=2" in conv2 and "1/1 2/0" in conv2
    relu1 = next(line for line in lines if " relu1 " in line)
    assert "conv1 -> conv1 (in place)" in relu1
    assert " accuracy " not in out  # TEST-only layer
    assert lines[-1] == "24 layers, 8 learnable, 0 frozen"


def test_show_test_phase_includes_accuracy(capsys):
    assert main(["show", CAFFENET, "--phase", "test"]) == 0
    out = capsys.readouterr().out
    assert " accuracy " in out and "batch_size=50" in out and "batch_size=256" not in out
    assert out.splitlines()[-1] == "25 layers, 8 learnable, 0 frozen"


def test_json_is_stable_machine_output(capsys):
    assert main(["show", CAFFENET, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["state"] == {"phase": "TRAIN", "level": 0, "stages": []}
    assert doc["summary"] == {"layers": 24, "learnable": 8, "frozen": 0}
    fc8 = next(layer for layer in doc["layers"] if layer["name"] == "fc8")
    assert fc8["lr_decay"] == [[1.0, 1.0], [2.0, 0.0]] and fc8["params"] == "num_output=1000"
    assert doc["problems"] == []


def test_json_stays_valid_json_for_nan_and_inf_multipliers(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text('input: "data" input_shape { dim: 1 dim: 3 }\n'
                   'layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"\n'
                   '  param { lr_mult: nan decay_mult: -inf } param { lr_mult: inf }\n'
                   '  inner_product_param { num_output: 2 } }\n'
                   'layer { name: "x" type: "Nope" bottom: "nowhere" top: "x" }\n')
    assert main(["show", str(net), "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    ip = next(layer for layer in doc["layers"] if layer["name"] == "ip")
    assert ip["lr_decay"] == [["NaN", "-Infinity"], ["Infinity", 1.0]]
    problem = doc["problems"][0]  # the same keys as ``ptx lint --format json``
    assert problem["code"] == "PTX101" and problem["path"] == str(net)
    assert {"line", "col", "end_line", "end_col", "name", "severity", "message", "fix"} <= set(problem)


def test_frozen_layers_are_counted_and_marked(capsys, monkeypatch):
    text = open(CAFFENET, encoding="utf-8").read().replace(
        "    lr_mult: 1\n    decay_mult: 1\n  }\n  param {\n    lr_mult: 2\n",
        "    lr_mult: 0\n    decay_mult: 0\n  }\n  param {\n    lr_mult: 0\n", 2)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert main(["show", "-"]) == 0
    out = capsys.readouterr().out
    assert "0/0 0/0 frozen" in next(line for line in out.splitlines() if " conv1 " in line)
    assert out.splitlines()[-1] == "24 layers, 8 learnable, 2 frozen"


def test_graph_problems_are_reported_on_stderr(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text('layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" '
                   'inner_product_param { num_output: 2 } }\n')
    assert main(["show", str(net)]) == 0
    err = capsys.readouterr().err
    assert "Unknown bottom blob 'data' (layer 'ip', bottom index 0)" in err
    assert err.startswith(f"{net}:1:")


def test_lr_mult_values_are_shown_as_written_when_not_numbers(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text('input: "data"\nlayer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                   '  param { lr_mult: abc } param { lr_mult: 2.5 decay_mult: inf }\n'
                   '  convolution_param { num_output: 2 kernel_size: 3 } }\n')
    assert main(["show", str(net)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if " c " in line)
    assert row.endswith("abc/1 2.5/inf")
