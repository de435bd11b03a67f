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
    (["--rename", "conv_1=x"], "no layer named 'conv_1'. Did you mean \"conv1\"?"),
    (["--num-output", "conv1=0"], "--num-output wants a positive integer"),
    (["--replace-head", "-3"], "--replace-head wants a positive integer"),
    (["--num-output", "pool1=5"], "a Pooling, which has no num_output"),
    (["--freeze", "relu1"], "cannot freeze layer 'relu1': a ReLU layer has no parameters"),
    (["--lr-mult", "conv1=1,2,3"], "--lr-mult wants W or W,B"),
    (["--rename-blob", "sum=pool1"], "a blob named 'pool1' exists"),
    (["--rename-blob", "pool_1=x"], "no blob named 'pool_1'. Did you mean \"pool1\"?"),
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


def test_edit_that_breaks_a_shared_weight_is_refused(tmp_path, capsys):
    """conv2 and conv2b share 'conv2_w': a new num_output on one is a new shape error."""
    copy = tmp_path / "net.prototxt"
    shutil.copy(TINY, copy)
    assert main(["edit", str(copy), "--in-place", "--num-output", "conv2b=32"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "edit refused: the result has a new shape error in TRAIN" in err
    assert ("(layer 'conv2b'): Check failed: this_blob->shape() == owner_blob->shape() Cannot "
            "share param 'conv2_w' owned by layer 'conv2' with layer 'conv2b'; shape mismatch.  "
            "Owner layer param shape is 16 8 3 3 (1152); sharing layer expects shape "
            "32 8 3 3 (2304); nothing written") in err
    assert _text(copy) == _text(TINY)
    # both branches together keep the weight shared and the Eltwise sum consistent
    assert main(["edit", str(copy), "--in-place", "--num-output", "conv2=32",
                 "--num-output", "conv2b=32"]) == 0


def test_shape_errors_the_input_already_has_do_not_refuse(tmp_path, capsys):
    tail = " kernel_size: 3 weight_filler { type: 'xavier' } }\n}\nlayer {\n\tname: 'sum'"
    broken = _text(TINY).replace("num_output: 16" + tail, "num_output: 32" + tail)
    assert broken != _text(TINY)
    copy = tmp_path / "net.prototxt"
    copy.write_text(broken)
    assert main(["lint", str(copy), "--select", "PTX507"]) == 1
    capsys.readouterr()
    assert main(["edit", str(copy), "--in-place", "--freeze", "conv1"]) == 0
    assert _text(copy) != broken
    # a renamed layer keeps its old error: not new either
    assert main(["edit", str(copy), "--in-place", "--rename", "conv2b=conv2c"]) == 0
    assert main(["edit", str(copy), "--in-place", "--rename", "conv2=conv2x"]) == 0


def test_explain_strategy_names_what_each_preset_does(capsys):
    assert main(["edit", str(CAFFENET), "--explain-strategy"]) == 0
    out = capsys.readouterr().out
    assert "feature-extractor" in out and "from-scratch" in out
    assert "cut after 'norm2'" in out and "frozen: conv1, conv2 (" in out


def test_every_pass_has_its_flag_and_every_preset_is_documented():
    """The flags are built from the pass registry, so they and the strategy presets cannot
    drift apart; every option a pass reads is a flag too."""
    from prototxt_tools.cli import build_parser
    from prototxt_tools.passes import PASSES
    from prototxt_tools.passes.strategy import PRESETS, TABLE
    parser = build_parser(commands=["edit"])
    sub = next(a for a in parser._actions if a.dest == "command").choices["edit"]
    by_flag = {opt: action for action in sub._actions for opt in action.option_strings}
    assert {p.name: by_flag[p.flag].const for p in PASSES if p.flag in by_flag} \
        == {name: name for name in PASSES.names()}
    assert all(o.flag in by_flag and by_flag[o.flag].dest == o.dest
               for p in PASSES for o in p.options)
    strategy_help = by_flag["--strategy"].help
    documented = " ".join(row[2] for row in TABLE)
    assert [p for p in PRESETS if p not in strategy_help or p not in documented] == []


def test_to_deploy_with_input_shape(capsys):
    assert main(["edit", str(CAFFENET), "--to-deploy", "--input-shape", "10,3,227,227"]) == 0
    assert capsys.readouterr().out == _text(FIXTURES / "edit" / "caffenet_deploy.prototxt")


def test_console_entry_point_runs_in_a_subprocess():
    done = subprocess.run([sys.executable, "-m", "prototxt_tools", "edit", str(CAFFENET),
                           "--replace-head", "20", "--name", "fc8_flickr"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0 and done.stdout == _text(FLICKR)
