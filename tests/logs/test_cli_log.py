"""``ptx log`` end to end: report, --json, --csv, -o, --follow, bad input (one line, exit 2)."""
from __future__ import annotations

import json
import threading
import time

import pytest

from prototxt_tools.cli import main

from .synth import curve_log


@pytest.fixture
def run_log(tmp_path):
    path = tmp_path / "train.log"
    path.write_text(curve_log([3.0, 2.0, "nan", "nan"]).text())
    return path


def test_report_names_nan(run_log, capsys):
    assert main(["log", str(run_log)]) == 0
    out = capsys.readouterr().out
    assert "1 run(s), 4 training displays, no test lines" in out
    assert "[PTX603 nan-loss]" in out and "iteration 40" in out


def test_diagnoses_are_problems_every_format_and_ptx_rule_serve(run_log, capsys):
    """Log diagnoses are rules PTX6xx: SARIF names the rule, --select/--ignore choose,
    parsable points at the log line, `ptx rule` explains it."""
    assert main(["log", str(run_log), "--format", "sarif"]) == 0
    sarif = json.loads(capsys.readouterr().out)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["PTX603"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[results[0]["ruleIndex"]]["id"] == "PTX603"
    assert main(["log", str(run_log), "--format", "parsable", "--select", "PTX6"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{run_log}:") and line.endswith("[PTX603]") and ": error: " in line
    assert main(["log", str(run_log), "--format", "parsable", "--ignore", "nan-loss"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["log", str(run_log), "--select", "PTX999"]) == 2
    assert "unknown rule code or name: PTX999" in capsys.readouterr().err
    assert main(["rule", "nan-loss"]) == 0
    assert capsys.readouterr().out.startswith("# nan-loss (PTX603)")


def test_lint_does_not_run_log_rules_on_nets(tmp_path, capsys):
    net = tmp_path / "n.prototxt"
    net.write_text('layer { name: "d" type: "Input" top: "d" input_param { shape { dim: 1 } } }\n')
    assert main(["lint", "--select", "PTX6", str(net)]) == 0


def test_json_keeps_nan_as_strings(run_log, capsys):
    assert main(["log", str(run_log), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["outputs"]["loss"] for r in doc["train"]] == [3.0, 2.0, "NaN", "NaN"]
    assert doc["diagnosis"][0]["code"] == "PTX603"


def test_csv_files(run_log, tmp_path, capsys):
    assert main(["log", str(run_log), "--csv", str(tmp_path / "out")]) == 0
    train = (tmp_path / "out" / "train.log.train").read_text().splitlines()
    assert train[0] == "NumIters,Seconds,LearningRate,loss"
    assert train[3].split(",")[0] == "40" and train[3].endswith(",nan")
    assert not (tmp_path / "out" / "train.log.test").exists()


def test_plot_output(run_log, tmp_path):
    pytest.importorskip("matplotlib")
    assert main(["log", str(run_log), "-o", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary\x00", b"just some text\n"])
def test_bad_input_one_line_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.log"
    path.write_bytes(content)
    assert main(["log", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "bad.log" in err


def test_plot_format_unknown(run_log, tmp_path, capsys):
    assert main(["log", str(run_log), "-o", str(tmp_path / "c.gif")]) == 2


def test_follow_reads_growing_log_until_done(tmp_path, capsys):
    path = tmp_path / "live.log"
    writer = curve_log([3.0, 2.5])
    path.write_text(writer.text())

    def grow():
        time.sleep(0.3)
        more = curve_log([3.0, 2.5, 2.0, 1.5]).done().text()
        path.write_text(more)

    thread = threading.Thread(target=grow)
    thread.start()
    from prototxt_tools.logs import follow as follow_module
    old = follow_module.POLL_SECONDS
    follow_module.POLL_SECONDS = 0.1
    try:
        log = follow_module.follow(str(path), __import__("sys").stdout, poll=0.1, idle_limit=5)
    finally:
        follow_module.POLL_SECONDS = old
        thread.join()
    assert [r.iteration for r in log.train] == [0, 20, 40, 60]
    assert log.runs[-1].end == "completed"
    assert "iteration 40" in capsys.readouterr().out


def test_plot_output_says_what_it_wrote(run_log, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "c.svg"
    assert main(["log", str(run_log), "-o", str(target), "--json"]) == 0
    captured = capsys.readouterr()
    assert f"wrote {target}" in captured.err
    json.loads(captured.out)   # stdout stays the JSON


def test_follow_prints_test_rows_too(tmp_path, capsys):
    """--follow shows each test net's outputs, not only training rows (issue 13 item 14)."""
    from prototxt_tools.logs import follow as follow_module
    tests = {0: {"accuracy": 0.1, "loss": 2.3}, 40: {"accuracy": 0.6, "loss": 1.1}}
    path = tmp_path / "done.log"
    path.write_text(curve_log([3.0, 2.5, 2.0, 1.5], tests=tests).done().text())
    follow_module.follow(str(path), __import__("sys").stdout, poll=0.01, idle_limit=1)
    out = capsys.readouterr().out.splitlines()
    assert "test#0 iteration 0  accuracy=0.1  loss=2.3" in out
    assert "test#0 iteration 40  accuracy=0.6  loss=1.1" in out
    assert out.index("test#0 iteration 40  accuracy=0.6  loss=1.1") < out.index(
        next(line for line in out if line.startswith("iteration 40 ")))
    assert any(line.startswith("iteration 60 ") for line in out)   # the last row too
