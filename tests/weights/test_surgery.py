"""Weight surgery: streamed, verified, atomic; the input is never touched."""
from __future__ import annotations

import hashlib
import os

import pytest

from prototxt_tools.cli import main
from prototxt_tools.errors import PtxError
from prototxt_tools.weights.plan import parse_plan
from prototxt_tools.weights.surgery import apply_surgery

from .models import add_layer, net_message, parse, write


@pytest.fixture
def model(tmp_path):
    net = net_message()
    add_layer(net, "conv1", "Convolution", [(4, 3, 3, 3), (4,)])
    add_layer(net, "fc8", "InnerProduct", [(5, 3), (5,)])
    add_layer(net, "old", "", [(4, 2), (4,)], legacy=True, v1_type=14)
    return write(net, tmp_path / "in.caffemodel")


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_rename_drop_keep_classes(model, tmp_path):
    before = digest(model)
    out = str(tmp_path / "out.caffemodel")
    plan = parse_plan(["fc8=fc8_new"], ["conv1"], ["fc8=4,0", "old=3,1"])
    report = apply_surgery(model, out, plan)
    assert digest(model) == before
    net = parse(out)
    assert [l.name for l in net.layer] == ["fc8_new"]
    fc = net.layer[0]
    assert list(fc.blobs[0].shape.dim) == [2, 3]
    assert list(fc.blobs[0].data) == [12, 13, 14, 0, 1, 2]
    assert list(fc.blobs[1].data) == [4, 0]
    old = net.layers[0]
    assert (old.blobs[0].height, old.blobs[0].width) == (2, 2)
    assert list(old.blobs[0].data) == [6, 7, 2, 3] and list(old.blobs[1].data) == [3, 1]
    assert len(report.changes) == 4


def test_untouched_layers_are_copied_byte_for_byte(model, tmp_path):
    out = str(tmp_path / "out.caffemodel")
    apply_surgery(model, out, parse_plan([], ["fc8"], []))   # the last field in the file
    original, written = open(model, "rb").read(), open(out, "rb").read()
    assert len(written) < len(original) and written == original[:len(written)]


@pytest.mark.parametrize("plan, expected", [
    ((["nope=x"], [], []), "no layer named 'nope'"),
    ((["fc8=conv1"], [], []), "two layers would be named 'conv1'"),
    (([], [], ["fc8=5"]), "out of range"),
    (([], [], ["fc8=1,1"]), "repeats a class"),
])
def test_bad_plans_write_nothing(model, tmp_path, plan, expected):
    out = tmp_path / "out.caffemodel"
    with pytest.raises(PtxError, match=expected):
        apply_surgery(model, str(out), parse_plan(*plan))
    assert sorted(os.listdir(tmp_path)) == ["in.caffemodel"]


def test_class_list_from_file(model, tmp_path):
    classes = tmp_path / "classes.txt"
    classes.write_text("# the ones we want\n2\n4, 0\n")
    out = tmp_path / "out.caffemodel"
    apply_surgery(model, str(out), parse_plan([], [], [f"fc8={classes}"]))
    assert list(parse(out).layer[1].blobs[1].data) == [2, 4, 0]


def test_cli_listing_and_errors(model, tmp_path, capsys):
    assert main(["weights", model, "--json"]) == 0
    assert '"fc8"' in capsys.readouterr().out
    assert main(["weights", model, "-o", model, "--drop", "fc8"]) == 2
    err = capsys.readouterr().err
    assert "never modifies its input" in err and err.count("\n") == 1
    assert main(["weights", model, "--drop", "fc8"]) == 2
    assert main(["weights", model, "-o", str(tmp_path / "o.caffemodel"), "--rename", "fc8=x"]) == 0
    assert "verified" in capsys.readouterr().out


def test_cli_unwritable_output_is_one_line(model, tmp_path, capsys):
    missing = tmp_path / "no-such-dir" / "out.caffemodel"
    assert main(["weights", model, "-o", str(missing), "--drop", "fc8"]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and err.count("\n") == 1
