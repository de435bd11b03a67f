"""ruff-like output options of `ptx lint`: --statistics, --exit-zero, --output-file."""
from __future__ import annotations

import json

from prototxt_tools.cli import main

NET = ('layers { name: "data" type: DATA top: "data" top: "label" data_param { source: "x" } }\n'
       'layers { name: "r" type: RELU bottom: "nothing" top: "r" }\n'
       'layers { name: "s" type: RELU bottom: "nowhere" top: "s" }\n')


def _net(tmp_path):
    path = tmp_path / "net.prototxt"
    path.write_text(NET)
    return str(path)


def test_statistics_counts_findings_per_rule_most_frequent_first(tmp_path, capsys):
    assert main(["lint", "--statistics", _net(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:2] == ["2", "PTX101"] and "unknown-bottom [error]" in lines[0]
    old = next(line for line in lines if "\tPTX007\t" in line)
    assert old.startswith("1\t") and "[*] old-net-format" in old     # --fix can apply it
    assert lines[-1] == "Found 4 problems in 3 rules."          # PTX101 x2, PTX007, PTX308


def test_statistics_as_json(tmp_path, capsys):
    main(["lint", "--statistics", "--format", "json", _net(tmp_path)])
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"]: (r["count"], r["fixable"]) for r in rows} == \
        {"PTX101": (2, False), "PTX007": (1, True), "PTX308": (1, False)}


def test_exit_zero_keeps_findings_but_not_the_failure(tmp_path, capsys):
    assert main(["lint", "--exit-zero", _net(tmp_path)]) == 0
    assert "PTX101" in capsys.readouterr().out
    assert main(["lint", "--exit-zero", str(tmp_path / "missing.prototxt")]) == 2


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path, capsys):
    report = tmp_path / "report.json"
    assert main(["lint", "--format", "json", "--output-file", str(report), _net(tmp_path)]) == 1
    assert capsys.readouterr().out == ""
    assert sorted(p["code"] for p in json.loads(report.read_text())) == \
        ["PTX007", "PTX101", "PTX101", "PTX308"]
