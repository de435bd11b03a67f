"""Weight surgery on HDF5 files written with h5py: the binary path's plans, checks and
messages; /diff kept in step with /data; untouched parts copied; the input never touched."""
from __future__ import annotations

import hashlib
import os
import sys

import pytest

from prototxt_tools.cli import main
from prototxt_tools.errors import PtxError
from prototxt_tools.weights import hdf5_surgery
from prototxt_tools.weights.plan import parse_plan
from prototxt_tools.weights.surgery import apply_surgery

from .models import add_layer, net_message, write

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

LAYERS = {"conv1": [(4, 3, 3, 3), (4,)], "data": [], "fc8": [(5, 3), (5,)]}   # HDF5 name order


def write_model(path, layers=LAYERS, diff: bool = False, userblock: int = 0) -> str:
    """/data/<layer>/<j> holding 0, 1, 2, ... (as models.add_layer does); with ``diff``,
    /diff holds the negated values, as a solver snapshot with snapshot_diff would."""
    with h5py.File(path, "w", userblock_size=userblock) as handle:
        for tree, sign in (("data", 1), ("diff", -1))[:2 if diff else 1]:
            group = handle.create_group(tree)
            for name, shapes in layers.items():
                layer = group.create_group(name)
                for j, shape in enumerate(shapes):
                    values = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
                    layer.create_dataset(str(j), data=sign * values)
    return str(path)


def read(path, tree="data"):
    with h5py.File(path, "r") as handle:
        return {name: {k: handle[tree][name][k][()] for k in handle[tree][name]}
                for name in handle[tree]}


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.fixture
def model(tmp_path):
    return write_model(tmp_path / "in.caffemodel.h5")


def test_rename_drop_keep_classes(model, tmp_path):
    before = digest(model)
    out = str(tmp_path / "out.h5")
    report = apply_surgery(model, out, parse_plan(["fc8=fc8_new"], ["conv1"], ["fc8=4,0"]))
    assert digest(model) == before
    layers = read(out)
    assert sorted(layers) == ["data", "fc8_new"]
    assert layers["fc8_new"]["0"].tolist() == [[12, 13, 14], [0, 1, 2]]
    assert layers["fc8_new"]["1"].tolist() == [4, 0]
    assert layers["fc8_new"]["0"].dtype == np.float32
    assert report.changes == ["renamed layer 'fc8' to 'fc8_new'", "dropped layer 'conv1'",
                               "kept 2 of 5 outputs of layer 'fc8'"]
    assert [layer.name for layer in report.layers] == ["data", "fc8_new"]


def test_renames_may_swap_names(model, tmp_path):
    out = str(tmp_path / "out.h5")
    apply_surgery(model, out, parse_plan(["fc8=conv1", "conv1=fc8"], [], []))
    layers = read(out)
    assert layers["conv1"]["0"].shape == (5, 3) and layers["fc8"]["0"].shape == (4, 3, 3, 3)


def test_diff_gets_the_same_changes(tmp_path):
    model = write_model(tmp_path / "in.h5", diff=True)
    out = str(tmp_path / "out.h5")
    report = apply_surgery(model, out, parse_plan(["fc8=fc8_new"], ["conv1"], ["fc8=4,0"]))
    data, diff = read(out), read(out, "diff")
    assert sorted(diff) == sorted(data) == ["data", "fc8_new"]
    for k in ("0", "1"):
        assert (diff["fc8_new"][k] == -data["fc8_new"][k]).all()
    assert report.changes[-1] == "made the same changes under /diff (the solver's gradients)"


def test_a_diff_tree_without_the_layer_is_left_as_it_is(tmp_path):
    model = write_model(tmp_path / "in.h5", diff=True)
    with h5py.File(model, "a") as handle:
        del handle["diff/fc8"]
    out = str(tmp_path / "out.h5")
    apply_surgery(model, out, parse_plan([], [], ["fc8=1"]))
    assert sorted(read(out, "diff")) == ["conv1", "data"]


def test_untouched_parts_are_copied_with_their_attributes(tmp_path):
    model = write_model(tmp_path / "in.h5", userblock=512)
    with h5py.File(model, "a") as handle:
        handle.attrs["note"] = "root"
        handle["data"].attrs["note"] = "data"
        handle["data/fc8"].attrs["note"] = "layer"
        handle["data/fc8/0"].attrs["note"] = "param"
        handle.create_dataset("extra/thing", data=np.arange(3))
    with open(model, "r+b") as fh:
        fh.write(b"user block")
    out = str(tmp_path / "out.h5")
    apply_surgery(model, out, parse_plan(["conv1=c"], [], ["fc8=2"]))
    with h5py.File(out, "r") as handle:
        assert handle.userblock_size == 512
        notes = [handle[p].attrs["note"] for p in ("/", "data", "data/fc8", "data/fc8/0")]
        assert notes == ["root", "data", "layer", "param"]
        assert handle["extra/thing"][()].tolist() == [0, 1, 2]
        assert handle["data/c/0"][()].tolist() == read(model)["conv1"]["0"].tolist()
    assert open(out, "rb").read(10) == b"user block"


def test_params_are_selected_in_index_order(tmp_path):
    shapes = [(3,)] * 11
    model = write_model(tmp_path / "in.h5", {"x": shapes})
    out = str(tmp_path / "out.h5")
    apply_surgery(model, out, parse_plan([], [], ["x=2"]))
    assert all(values.tolist() == [2] for values in read(out)["x"].values())


def test_compressed_datasets_stay_compressed(tmp_path):
    model = str(tmp_path / "in.h5")
    with h5py.File(model, "w") as handle:
        handle.create_dataset("data/fc/0", data=np.ones((6, 4), np.float64), compression="gzip")
    out = str(tmp_path / "out.h5")
    apply_surgery(model, out, parse_plan([], [], ["fc=5,0"]))
    with h5py.File(out, "r") as handle:
        dataset = handle["data/fc/0"]
        assert (dataset.shape, dataset.dtype, dataset.compression) == ((2, 4), np.float64, "gzip")


BAD_PLANS = [
    ((["nope=x"], [], []), "no layer named 'nope'"),
    ((["fc8=conv1"], [], []), "two layers would be named 'conv1'"),
    (([], [], ["fc8=5"]), "out of range"),
    (([], [], ["fc8=1,1"]), "repeats a class"),
    (([], [], ["conv1=-1"]), "out of range"),
]


@pytest.mark.parametrize("plan, expected", BAD_PLANS)
def test_bad_plans_write_nothing_and_say_what_the_binary_path_says(model, tmp_path, plan,
                                                                   expected):
    binary = net_message()
    for name, shapes in LAYERS.items():
        add_layer(binary, name, "", shapes)
    binary_path = write(binary, tmp_path / "in.caffemodel")
    with pytest.raises(PtxError) as from_binary:
        apply_surgery(binary_path, str(tmp_path / "out.caffemodel"), parse_plan(*plan))
    with pytest.raises(PtxError, match=expected) as from_hdf5:
        apply_surgery(model, str(tmp_path / "out.h5"), parse_plan(*plan))
    assert from_hdf5.value.message == from_binary.value.message
    assert sorted(os.listdir(tmp_path)) == ["in.caffemodel", "in.caffemodel.h5"]


@pytest.mark.parametrize("layers, plan, expected", [
    (LAYERS, ([], [], ["data=0"]), "layer 'data' has no weights to select classes from"),
    ({"fc": [(5, 3), (4,)]}, ([], [], ["fc=1"]), "blob 1 of layer 'fc' has shape (4,)"),
    ({"fc": [(5, 3), ()]}, ([], [], ["fc=1"]), "blob 1 of layer 'fc' has shape ()"),
    (LAYERS, (["fc8=a/b"], [], []), "'a/b' cannot name a layer group in an HDF5 file"),
    (LAYERS, (["fc8=."], [], []), "'.' cannot name a layer group"),
])
def test_hdf5_refusals_write_nothing(tmp_path, layers, plan, expected):
    model = write_model(tmp_path / "in.h5", layers)
    with pytest.raises(PtxError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        apply_surgery(model, str(tmp_path / "out.h5"), parse_plan(*plan))
    assert os.listdir(tmp_path) == ["in.h5"]


def test_diff_must_match_data_where_classes_are_kept(tmp_path):
    model = write_model(tmp_path / "in.h5", diff=True)
    with h5py.File(model, "a") as handle:
        del handle["diff/fc8/1"]
    with pytest.raises(PtxError, match=r"/diff/fc8 holds shapes \[\(5, 3\)\] but /data/fc8"):
        apply_surgery(model, str(tmp_path / "out.h5"), parse_plan([], [], ["fc8=1"]))
    assert os.listdir(tmp_path) == ["in.h5"]


def test_a_rename_must_not_clash_under_diff_either(tmp_path):
    model = write_model(tmp_path / "in.h5", diff=True)
    with h5py.File(model, "a") as handle:
        handle["diff"].create_group("fc8_new")
    with pytest.raises(PtxError, match="two layers under /diff would be named 'fc8_new'"):
        apply_surgery(model, str(tmp_path / "out.h5"), parse_plan(["fc8=fc8_new"], [], []))
    assert os.listdir(tmp_path) == ["in.h5"]


@pytest.mark.parametrize("link, plan", [
    ("diff/fc8", ["fc8=fc8_new"]),       # a /diff layer the plan touches
    ("diff/fc8", ["conv1=c1"]),          # one it copies untouched
    ("diff/conv1/1", ["conv1=c1"]),      # a dataset inside a touched /diff layer
    ("other", ["conv1=c1"]),             # a top-level link beside /data and /diff
])
def test_a_dangling_link_is_a_one_line_error(tmp_path, capsys, link, plan):
    model = write_model(tmp_path / "in.h5", diff=True)
    with h5py.File(model, "a") as handle:
        if link in handle:
            del handle[link]
        handle[link] = h5py.SoftLink("/nowhere")
    assert main(["weights", model, "-o", str(tmp_path / "out.h5"), "--rename", plan[0]]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{model}: error: cannot read /{link}: ") and err.count("\n") == 1
    assert os.listdir(tmp_path) == ["in.h5"]


def test_a_wrong_result_fails_verification_and_is_not_kept(model, tmp_path, monkeypatch):
    monkeypatch.setattr(hdf5_surgery, "_write_selected", lambda group, dest, selection: None)
    with pytest.raises(PtxError, match="verification failed under /data: layer 'fc8'"):
        apply_surgery(model, str(tmp_path / "out.h5"), parse_plan([], [], ["fc8=1"]))
    assert sorted(os.listdir(tmp_path)) == ["in.caffemodel.h5"]


def test_cli_surgery_on_hdf5(model, tmp_path, capsys):
    out = str(tmp_path / "out.h5")
    assert main(["weights", model, "-o", out, "--keep-classes", "fc8=3,1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"wrote {out} (3 layers, verified)"
    assert main(["weights", model, "-o", model, "--drop", "fc8"]) == 2
    err = capsys.readouterr().err
    assert "never modifies its input" in err and err.count("\n") == 1


def test_cli_without_h5py_says_how_to_install_it_and_writes_nothing(model, tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    assert main(["weights", model, "-o", str(tmp_path / "out.h5"), "--drop", "fc8"]) == 2
    err = capsys.readouterr().err
    assert "needs h5py" in err and err.count("\n") == 1
    assert os.listdir(tmp_path) == ["in.caffemodel.h5"]
