"""`ptx lint` / `ptx rule` end to end: exit codes, --fix writing files, stdin, solvers and --root."""
from __future__ import annotations

import json

from prototxt_tools.cli import main

GOOD = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 } } }\n'
WARN = 'layers { name: "data" type: DATA top: "data" top: "label" data_param { source: "x" } }\n'
BAD = GOOD + 'layer { name: "r" type: "ReLU" bottom: "nothing" top: "r" }\n'


def test_exit_codes(tmp_path, capsys):
    good, warn, bad = tmp_path / "good.prototxt", tmp_path / "warn.prototxt", tmp_path / "bad.prototxt"
    good.write_text(GOOD)
    warn.write_text(WARN)
    bad.write_text(BAD)
    assert main(["lint", str(good)]) == 0
    assert main(["lint", str(warn)]) == 0
    assert main(["lint", "--strict", str(warn)]) == 1
    assert main(["lint", str(bad)]) == 1
    assert main(["lint", str(tmp_path / "missing.prototxt")]) == 2
    assert main(["lint", "--select", "PTX9", str(good)]) == 2
    assert "unknown rule code or name: PTX9" in capsys.readouterr().err


def test_unreadable_weights_are_bad_input_not_a_clean_lint(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text(GOOD)
    garbage = tmp_path / "model.caffemodel"
    garbage.write_text("not weights")
    for weights in (str(garbage), str(tmp_path / "missing.caffemodel"), f"{garbage},"):
        assert main(["lint", str(net), "--weights", weights]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"{tmp_path}/") and "error:" in err


def test_directory_walk_and_json(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.prototxt").write_text(BAD)
    (tmp_path / "notes.txt").write_text("not a net")
    assert main(["lint", "--format", "json", str(tmp_path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in found} == {"PTX101"}
    assert found[0]["path"].endswith("bad.prototxt") and found[0]["line"] == 2


def test_fix_writes_file_and_reports(tmp_path, capsys):
    path = tmp_path / "old.prototxt"
    path.write_text(WARN)
    assert main(["lint", "--fix", "--select", "PTX007", str(path)]) == 0
    assert path.read_text().startswith("layer {") and 'type: "Data"' in path.read_text()
    assert "fixed PTX007" in capsys.readouterr().out


def test_unsafe_fixes_need_the_flag(tmp_path):
    path = tmp_path / "solver.prototxt"
    path.write_text('base_lr: 0.01\n')
    main(["lint", "--fix", "--select", "PTX407", str(path)])
    assert path.read_text() == 'base_lr: 0.01\n'
    main(["lint", "--unsafe-fixes", "--select", "PTX407", str(path)])
    assert path.read_text() == 'base_lr: 0.01\nsolver_mode: GPU\n'


def test_stdin(monkeypatch, capsys):
    import io
    import sys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    assert main(["lint", "--format", "parsable", "-"]) == 1
    assert capsys.readouterr().out.startswith("<stdin>:2:")


def test_solver_lints_its_nets_resolved_against_root(tmp_path, capsys):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "train.prototxt").write_text(BAD)
    solver = tmp_path / "models" / "solver.prototxt"
    solver.write_text('net: "models/train.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\n'
                      'solver_mode: GPU\n')
    assert main(["lint", "--format", "parsable", "--root", str(tmp_path), str(solver)]) == 1
    out = capsys.readouterr().out
    assert "train.prototxt:2:" in out and "PTX101" in out
    # run from models/, the path resolves only from the folder above: found, and said so
    assert main(["lint", "--format", "parsable", "--root", str(tmp_path / "models"), str(solver)]) == 1
    out = capsys.readouterr().out
    assert "'models/train.prototxt' resolve against a folder above it" in out and "PTX101" in out
    solver.write_text(solver.read_text().replace("models/train", "nowhere/train"))
    assert main(["lint", "--format", "parsable", "--root", str(tmp_path / "models"), str(solver)]) == 1
    assert "File not found: nowhere/train.prototxt" in capsys.readouterr().out


def test_rule_command(capsys):
    assert main(["rule", "PTX201"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# too-many-params (PTX201)") and "## Use instead" in out
    assert main(["rule", "unknown-bottom"]) == 0
    capsys.readouterr()
    assert main(["rule", "--all", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert len(rules) >= 30 and set(rules[0]["sections"]) >= {"What it does", "Example"}
    assert main(["rule", "PTX999"]) == 2


def test_weights_are_read_once_for_all_files_and_rules(tmp_path, monkeypatch, capsys):
    import prototxt_tools.weights as weights
    from rules.blobs import caffemodel
    model = tmp_path / "w.caffemodel"
    model.write_bytes(caffemodel({"fc": [(2, 192), (2,)]}))
    nets = []
    for name in ("a", "b", "c"):
        nets.append(tmp_path / f"{name}.prototxt")
        nets[-1].write_text(GOOD)
    calls = []
    real = weights.scan_caffemodel
    monkeypatch.setattr(weights, "scan_caffemodel", lambda path: calls.append(path) or real(path))
    assert main(["lint", *map(str, nets), "--weights", str(model)]) == 0
    assert calls == [str(model)]


def test_a_fix_that_adds_an_error_is_refused_and_nothing_is_written(tmp_path, capsys,
                                                                       monkeypatch):
    """Fixes go through the one checked applier: a fix whose result gains a graph error
    is refused in one line (exit 2) and the file keeps its bytes."""
    from prototxt_tools.edits import TextEdit
    from prototxt_tools.rules import unused_top
    from prototxt_tools.rules.base import Fix
    net = tmp_path / "net.prototxt"
    text = GOOD + 'layer { name: "r" type: "ReLU" bottom: "data" top: "r" }\n'
    net.write_text(text)
    start = text.index('bottom: "data"')

    def bad_fix(context, options):
        edit = TextEdit(start, start + len('bottom: "data"'), 'bottom: "gone"')
        yield context.report((1, 1), "a finding whose fix breaks the wiring",
                             fix=Fix("rewire", (edit,)))
    monkeypatch.setattr(unused_top, "check", bad_fix)
    assert main(["lint", "--fix", str(net)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fix of PTX" in err[0] and "refused: the result has a new error" \
        in err[0] and "Unknown bottom blob 'gone'" in err[0] and err[0].endswith("nothing written")
    assert net.read_text() == text


def test_one_spelling_of_a_file_through_a_solver_or_a_folder(tmp_path, monkeypatch, capsys):
    """``net: "./x.prototxt"`` and the folder walk name the file ``x.prototxt``, as the
    command line does (issue 13 item 12)."""
    (tmp_path / "x.prototxt").write_text('layer { name: "r" type: "ReLU" bottom: "nothing" '
                                         'top: "r" }\n', encoding="utf-8")
    (tmp_path / "solver.prototxt").write_text('net: "./x.prototxt"\nbase_lr: 0.01\n'
                                              'lr_policy: "fixed"\nmax_iter: 10\n',
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for args in (["."], ["solver.prototxt"], ["x.prototxt"]):
        main(["lint", "--select", "PTX101", *args])
        outputs.append(capsys.readouterr().out)
    for out in outputs:
        assert out.startswith("x.prototxt:1:"), out
    assert "./" not in "".join(outputs)


def test_no_files_matched_is_said(tmp_path, capsys):
    """A folder without nets or solvers is no clean bill of health (issue 13 item 13)."""
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    code = main(["lint", str(tmp_path)])
    captured = capsys.readouterr()
    assert "No problems found" not in captured.out
    assert "no net or solver files found" in captured.err
    assert code == 0


def test_a_net_linted_alone_and_through_its_solver_reports_each_finding_once(tmp_path,
                                                                             monkeypatch, capsys):
    """A folder walk lints ``x.prototxt`` on its own and again as the solver's net: the same
    finding (place, code, message) is printed once, in text and JSON."""
    (tmp_path / "x.prototxt").write_text('layer { name: "r" type: "ReLU" bottom: "nothing" '
                                         'top: "r" }\n', encoding="utf-8")
    (tmp_path / "solver.prototxt").write_text('net: "x.prototxt"\nbase_lr: 0.01\n'
                                              'lr_policy: "fixed"\nmax_iter: 10\n',
                                              encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["lint", "--select", "PTX101", "--format", "parsable", "."])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("x.prototxt:1:"), lines
    main(["lint", "--select", "PTX101", "--format", "json", "."])
    assert len(json.loads(capsys.readouterr().out)) == 1
