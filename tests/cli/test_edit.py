"""ptx edit from the command line: flags in order, output modes, errors in one line."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from corpus import REPO
from prototxt_tools.cli import main

FIXTURES = REPO / "fixtures"
CAFFENET = FIXTURES / "caffenet" / "train_val.prototxt"
FLICKR = FIXTURES / "flickr_style" / "train_val.prototxt"
TINY = FIXTURES / "edit" / "tiny.prototxt"


def _text(path) -> str:
    with open(path, newline="", encoding="utf-8") as fh:
        return fh.read()


def test_flickr_demo_prints_the_golden_file(capsys):
    assert main(["edit", str(CAFFENET), "--replace-head", "20", "--name", "fc8_flickr"]) == 0
    captured = capsys.readouterr()
    assert captured.out == _text(FLICKR)
    assert "renamed to 'fc8_flickr'" in captured.err and "num_output 1000 -> 20" in captured.err


def test_flags_run_in_command_line_order(capsys):
    """--replace-head then --strategy is the golden 'combined' case minus the cut."""
    assert main(["edit", str(TINY), "--replace-head", "3", "--name", "fc_pets",
                 "--strategy", "feature-extractor", "--cut-gradient", "fc_pets"]) == 0
    assert capsys.readouterr().out == _text(FIXTURES / "edit" / "combined.prototxt")
    # the reverse order cannot cut a gradient at a layer that does not exist yet
    assert main(["edit", str(TINY), "--cut-gradient", "fc_pets",
                 "--replace-head", "3", "--name", "fc_pets"]) == 2
    assert "no layer named 'fc_pets'" in capsys.readouterr().err


def test_output_file_and_in_place_through_a_symlink(tmp_path, capsys):
    real = tmp_path / "real.prototxt"
    shutil.copy(TINY, real)
    os.chmod(real, 0o640)
    link = tmp_path / "link.prototxt"
    link.symlink_to(real)
    out = tmp_path / "out.prototxt"
    assert main(["edit", str(link), "--freeze", "conv1", "-o", str(out)]) == 0
    assert main(["edit", str(link), "--freeze", "conv1", "--in-place"]) == 0
    assert link.is_symlink() and _text(real) == _text(out) != _text(TINY)
    assert oct(os.stat(real).st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ptx-")] == []


def test_diff_writes_nothing_and_is_plain_when_piped(tmp_path, capsys):
    copy = tmp_path / "net.prototxt"
    shutil.copy(TINY, copy)
    assert main(["edit", str(copy), "--num-output", "conv1=12", "--diff"]) == 0
    out = capsys.readouterr().out
    assert "-\t\tnum_output: 8\n+\t\tnum_output: 12\n" in out and "\033[" not in out
    assert _text(copy) == _text(TINY)


def test_check_exit_codes(capsys):
    assert main(["edit", str(TINY), "--num-output", "conv1=12", "--check"]) == 1
    assert main(["edit", str(TINY), "--num-output", "conv1=8", "--check"]) == 0
    assert main(["edit", str(FLICKR), "--replace-head", "20", "--name", "fc8_flickr",
                 "--check"]) == 0


@pytest.mark.parametrize("argv,message", [
    (["--rename", "conv_1=x"], "no layer named 'conv_1'; did you mean 'conv1'?"),
    (["--num-output", "conv1=0"], "--num-output wants a positive integer"),
    (["--replace-head", "-3"], "--replace-head wants a positive integer"),
    (["--num-output", "pool1=5"], "a Pooling, which has no num_output"),
    (["--freeze", "relu1"], "cannot freeze layer 'relu1': a ReLU layer has no parameters"),
    (["--lr-mult", "conv1=1,2,3"], "--lr-mult wants W or W,B"),
    (["--rename-blob", "sum=pool1"], "a blob named 'pool1' exists"),
    (["--strategy", "warm-start"], "unknown strategy 'warm-start'"),
    (["--freeze-fraction", "1.5"], "--freeze-fraction wants a number in (0, 1]"),
    ([], "nothing to do"),
])
def test_bad_requests_are_one_line_exit_2_input_untouched(argv, message, tmp_path, capsys):
    copy = tmp_path / "net.prototxt"
    shutil.copy(TINY, copy)
    assert main(["edit", str(copy), "--in-place"] + argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _text(copy) == _text(TINY)


def test_explain_strategy_names_what_each_preset_does(capsys):
    assert main(["edit", str(CAFFENET), "--explain-strategy"]) == 0
    out = capsys.readouterr().out
    assert "feature-extractor" in out and "from-scratch" in out
    assert "cut after 'conv3'" in out and "frozen: conv1, conv2, conv3, conv4" in out


def test_to_deploy_with_input_shape(capsys):
    assert main(["edit", str(CAFFENET), "--to-deploy", "--input-shape", "10,3,227,227"]) == 0
    assert capsys.readouterr().out == _text(FIXTURES / "edit" / "caffenet_deploy.prototxt")


def test_console_entry_point_runs_in_a_subprocess():
    done = subprocess.run([sys.executable, "-m", "prototxt_tools", "edit", str(CAFFENET),
                           "--replace-head", "20", "--name", "fc8_flickr"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stdout == _text(FLICKR)
