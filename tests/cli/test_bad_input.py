"""Bad input through the real CLI: one line on stderr, exit 2, never a traceback."""
import io
import os
import subprocess
import sys

import pytest

from corpus import REPO
from prototxt_tools.cli import main

CAFFENET = str(REPO / "fixtures" / "caffenet" / "train_val.prototxt")


def run_main(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _bad_files(tmp_path):
    files = {}
    def put(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        files[name] = str(path)
    put("empty.prototxt", b"")
    put("blank.prototxt", b"  \n\t\n")
    put("binary.prototxt", b"\x00\x01\x02\x03garbage\x00")
    put("weights.caffemodel", b"\x0a\x08CaffeNet\xa2\x06\x80\x01\x0a\x05conv1" + bytes(range(32)) * 8)
    put("latin1.prototxt", 'name: "caf\xe9"\n'.encode("latin-1"))
    put("unclosed.prototxt", b'layer {\n  name: "x"\n')
    put("deep.prototxt", b"a { " * 5000 + b"}" * 5000)
    put("solver.prototxt", b'net: "train_val.prototxt"\nbase_lr: 0.01\nlr_policy: "fixed"\n')
    put("labelmap.prototxt", b'item { name: "none" label: 0 display_name: "background" }\n')
    return files


EXPECTED = {
    "empty.prototxt": "file is empty",
    "blank.prototxt": "file holds only whitespace",
    "binary.prototxt": "binary file, not a text prototxt",
    "weights.caffemodel": "looks like a .caffemodel",
    "latin1.prototxt": ":1:11: error: not valid UTF-8",
    "unclosed.prototxt": ":3:1: error: unclosed `{` opened at 1:7",
    "deep.prototxt": "nesting deeper than",
    "solver.prototxt": "this is a solver, not a net (its net: \"train_val.prototxt\")",
    "labelmap.prototxt": "this is an SSD labelmap, not a net",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_one_line_and_exit_2(name, tmp_path, capsys):
    path = _bad_files(tmp_path)[name]
    code, out, err = run_main(["show", path], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(path)
    assert EXPECTED[name] in err


def test_missing_file_and_directory(tmp_path, capsys):
    code, _, err = run_main(["show", str(tmp_path / "nope.prototxt")], capsys)
    assert (code, err.strip()) == (2, f"{tmp_path / 'nope.prototxt'}: error: no such file")
    code, _, err = run_main(["show", str(tmp_path)], capsys)
    assert code == 2 and "is a directory" in err


@pytest.mark.parametrize("data, expected", [
    (b"", "<stdin>: error: file is empty"),
    (b"layer {", "<stdin>:1:8: error: unclosed `{` opened at 1:7")])
def test_stdin_is_named_alike_in_every_error(data, expected, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, _, err = run_main(["show", "-"], capsys)
    assert (code, err.strip()) == (2, expected)


def test_huge_file_is_refused_without_reading_it(tmp_path, capsys):
    huge = tmp_path / "huge.prototxt"
    with open(huge, "wb") as fh:
        fh.truncate(100 * 2**20)  # sparse: 100 MB on paper
    code, _, err = run_main(["show", str(huge)], capsys)
    assert code == 2 and "file is 100 MB" in err


def test_usage_error_exits_2(capsys):
    code, _, err = run_main(["show", CAFFENET, "--phase", "VAL"], capsys)
    assert code == 2 and "invalid choice" in err


def test_no_traceback_from_the_installed_entry_point(tmp_path):
    bad = tmp_path / "bad.prototxt"
    bad.write_bytes(b"layer { name: \n")
    proc = subprocess.run([sys.executable, "-m", "prototxt_tools", "show", str(bad)],
                          capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"{bad}:2:1: error: expected a value after `name:`, found end of file"
