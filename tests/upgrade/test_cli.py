"""``ptx upgrade``: output modes, exit codes, atomic writes that keep mode and symlinks."""
from __future__ import annotations

import os

import pytest

from prototxt_tools.cli import main

V1 = 'name: "n"  # net\nlayers {\n  name: "r"\n  type: RELU\n  bottom: "a"\n  top: "a"\n}\n'
V2 = 'name: "n"  # net\nlayer {\n  name: "r"\n  type: "ReLU"\n  bottom: "a"\n  top: "a"\n}\n'


@pytest.fixture
def v1_file(tmp_path):
    path = tmp_path / "net.prototxt"
    path.write_text(V1)
    return path


def test_prints_upgraded_text_and_summary(v1_file, capsys):
    assert main(["upgrade", str(v1_file)]) == 0
    out, err = capsys.readouterr()
    assert out == V2
    assert "V1 `layers` blocks" in err
    assert v1_file.read_text() == V1


@pytest.mark.parametrize("text, code", [(V1, 1), (V2, 0)])
def test_check_exit_code_and_writes_nothing(tmp_path, capsys, text, code):
    path = tmp_path / "net.prototxt"
    path.write_text(text)
    assert main(["upgrade", "--check", str(path)]) == code
    assert capsys.readouterr().out == ""
    assert path.read_text() == text


def test_diff(v1_file, capsys):
    assert main(["upgrade", "--diff", str(v1_file)]) == 0
    out = capsys.readouterr().out
    assert "-layers {" in out and "+layer {" in out and '+  type: "ReLU"' in out


def test_output_file(v1_file, tmp_path):
    out = tmp_path / "out.prototxt"
    assert main(["upgrade", str(v1_file), "-o", str(out)]) == 0
    assert out.read_text() == V2 and v1_file.read_text() == V1


def test_in_place_keeps_mode_and_writes_through_symlink(v1_file, tmp_path):
    os.chmod(v1_file, 0o640)
    link = tmp_path / "link.prototxt"
    link.symlink_to(v1_file.name)
    assert main(["upgrade", "--in-place", str(link)]) == 0
    assert link.is_symlink()
    assert v1_file.read_text() == V2
    assert oct(v1_file.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ptx-")] == []


def test_in_place_keeps_crlf(tmp_path):
    path = tmp_path / "net.prototxt"
    path.write_bytes(V1.replace("\n", "\r\n").encode())
    assert main(["upgrade", "--in-place", str(path)]) == 0
    assert path.read_bytes() == V2.replace("\n", "\r\n").encode()


def test_impossible_upgrade_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "s.prototxt"
    path.write_text('solver_type: SGD\ntype: "Adam"\n')
    assert main(["upgrade", "--in-place", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be both specified" in err
    assert path.read_text() == 'solver_type: SGD\ntype: "Adam"\n'


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["upgrade", str(tmp_path / "nope.prototxt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_window_data_scale_moved_by_the_upgrade_is_pointed_out(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text('layers { name: "w" type: WINDOW_DATA top: "data" top: "label"\n'
                   '  window_data_param { source: "w.txt" scale: 0.00390625 mirror: true } }\n')
    assert main(["upgrade", str(net)]) == 0
    out, err = capsys.readouterr()
    assert "transform_param {" in out and "scale: 0.00390625" in out  # Caffe's upgrade moves it
    assert "WindowData reads scale only from window_data_param" in err


def test_data_layer_scale_moved_without_a_note(tmp_path, capsys):
    net = tmp_path / "net.prototxt"
    net.write_text('layers { name: "d" type: DATA top: "data" top: "label"\n'
                   '  data_param { source: "db" scale: 0.00390625 } }\n')
    assert main(["upgrade", str(net)]) == 0
    err = capsys.readouterr().err
    assert "scale moved from data_param to transform_param" in err and "note:" not in err


def test_an_upgrade_that_adds_an_error_is_refused_and_nothing_is_written(v1_file, capsys,
                                                                         monkeypatch):
    """Upgrades go through the one checked applier: a step whose result gains a graph
    error is refused in one line (exit 2) and the file keeps its bytes."""
    from prototxt_tools.edits import TextEdit
    from prototxt_tools.upgrade import v1
    real = v1.run

    def breaking(doc):
        result = real(doc)
        start = doc.text.index('bottom: "a"')
        result.edits.append(TextEdit(start, start + len('bottom: "a"'), 'bottom: "gone"'))
        return result
    v1_file.write_text('input: "a"\n' + V1)
    monkeypatch.setattr(v1, "run", breaking)
    assert main(["upgrade", "--in-place", str(v1_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "upgrade refused: the result has a new error" in err[0] \
        and "Unknown bottom blob 'gone'" in err[0] and err[0].endswith("nothing written")
    assert v1_file.read_text() == 'input: "a"\n' + V1
