"""HDF5 weights (.caffemodel.h5) written with h5py directly: scan, Caffe's HDF5 copy rules, CLI.

The rules under test (semantics §3.3, checked against real Caffe in
test_hdf5_oracle.py): the last layer of a name gets the weights, fewer datasets
than params is fine only for shared params, more links than params is fatal, and a
dataset of another shape is loaded by reshaping the param, without a message.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from prototxt_tools.api import load
from prototxt_tools.cli import main
from prototxt_tools.errors import PtxError
from prototxt_tools.weights import FILLER, preview_for_file, scan_caffemodel

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

NET = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
        convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc" inner_product_param { num_output: 5 } }
'''
STORED = {"conv1": {"0": (4, 3, 3, 3), "1": (4,)}, "fc": {"0": (5, 144), "1": (5,)}, "data": {}}


def write_h5(path, layers, userblock: int = 0) -> str:
    """``layers``: name -> {dataset name: shape} under /data, as Net::ToHDF5 lays them out."""
    with h5py.File(path, "w", userblock_size=userblock) as handle:
        data = handle.create_group("data")
        for name, datasets in layers.items():
            group = data.create_group(name)
            for key, shape in datasets.items():
                group.create_dataset(key, data=np.zeros(shape, np.float32))
    return str(path)


def preview(tmp_path, net_text, layers):
    return preview_for_file(load(net_text), write_h5(tmp_path / "w.caffemodel.h5", layers))


def test_scan_reads_names_and_shapes_in_caffes_order(tmp_path):
    scan = scan_caffemodel(write_h5(tmp_path / "a.h5", {"fc": STORED["fc"], "conv1": STORED["conv1"],
                                                        "data": {}}))
    assert (scan.kind, scan.format) == ("hdf5", "hdf5")
    assert [layer.name for layer in scan.layers] == ["conv1", "data", "fc"]
    assert scan.layer("fc").blob_shapes == [(5, 144), (5,)]
    assert [b.values for b in scan.layer("conv1").blobs] == [108, 4]
    assert scan.layer("data").blobs == []


def test_params_sort_by_index_and_other_links_are_kept(tmp_path):
    layers = {"x": {str(i): (i + 1,) for i in range(11)}}
    layers["x"]["note"] = (2,)
    layer = scan_caffemodel(write_h5(tmp_path / "a.h5", layers)).layers[0]
    assert [b.dataset for b in layer.blobs] == [str(i) for i in range(11)] + ["note"]
    assert len(layer.links) == 12


def test_a_user_block_is_found_as_h5fis_hdf5_does(tmp_path):
    scan = scan_caffemodel(write_h5(tmp_path / "u.h5", {"fc": STORED["fc"]}, userblock=1024))
    assert scan.kind == "hdf5" and scan.layers[0].blob_shapes == [(5, 144), (5,)]


def test_exact_match_copies_every_layer(tmp_path):
    outcomes = preview(tmp_path, NET, STORED).outcomes
    assert [(o.layer, o.status) for o in outcomes] == [("conv1", "copied"), ("fc", "copied")]


def test_renamed_layer_is_ignored_and_keeps_its_filler(tmp_path):
    result = preview(tmp_path, NET.replace('name: "fc"', 'name: "fc_new"'), STORED)
    assert [(o.layer, o.status) for o in result.outcomes] == [
        ("conv1", "copied"), ("fc_new", "filler"), ("fc", "ignored")]
    assert result.failures == []


def test_other_shape_stops_caffe(tmp_path):
    # upstream's hdf5_load_nd_dataset CHECKs the exact shape (the brocolli fork reshaped silently)
    result = preview(tmp_path, NET.replace("num_output: 5", "num_output: 7"), STORED)
    (failure,) = result.failures
    assert failure.status == "shape" and failure.fatal and result.fatal == [failure]
    assert failure.message == ("Check failed: blob_dims == blob->shape() Cannot load blob from hdf5; "
                               "shape mismatch. Source shape is 5 144 (720) target shape is 7 144 (1008)")


def test_same_count_other_shape_stops_caffe_too(tmp_path):
    layers = {"fc": {"0": (144, 5), "1": (5,)}}
    result = preview(tmp_path, NET, layers)
    (outcome,) = result.failures
    assert outcome.status == "shape" and result.fatal == [outcome]
    assert outcome.message.endswith("Source shape is 144 5 (720) target shape is 5 144 (720)")


def test_more_datasets_than_params_is_fatal(tmp_path):
    result = preview(tmp_path, NET.replace("kernel_size: 3", "kernel_size: 3 bias_term: false"), STORED)
    (failure,) = result.fatal
    assert failure.message == ("Check failed: num_source_params <= target_blobs.size() (2 vs. 1) "
                               "Incompatible number of blobs for layer conv1")


def test_a_missing_owned_param_is_fatal(tmp_path):
    layers = dict(STORED, conv1={"0": (4, 3, 3, 3)})
    (failure,) = preview(tmp_path, NET, layers).fatal
    assert (failure.layer, failure.blob_index) == ("conv1", 1)
    assert failure.message == "Incompatible number of blobs for layer conv1"


def test_a_foreign_link_counts_but_is_not_loaded(tmp_path):
    layers = dict(STORED, conv1={"0": (4, 3, 3, 3), "x": (4,)})
    (failure,) = preview(tmp_path, NET, layers).fatal
    assert failure.message == "Incompatible number of blobs for layer conv1"


SHARED = NET + '''layer { name: "conv1b" type: "Convolution" bottom: "data" top: "conv1b"
        param { name: "w" } param { name: "b" } convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "conv1c" type: "Convolution" bottom: "data" top: "conv1c"
        param { name: "w" } param { name: "b" } convolution_param { num_output: 4 kernel_size: 3 } }
'''


def test_shared_params_may_be_missing_owned_ones_may_not(tmp_path):
    layers = dict(STORED, conv1b=STORED["conv1"], conv1c={})
    result = preview(tmp_path, SHARED, layers)
    assert result.failures == []
    (shared,) = result.of("conv1c")
    assert shared.status == "copied" and "shared" in shared.message
    layers["conv1b"] = {"1": (4,)}      # conv1b owns "w": its dataset 0 must be there
    (failure,) = preview(tmp_path, SHARED, layers).fatal
    assert (failure.layer, failure.message) == ("conv1b", "Incompatible number of blobs for layer conv1b")


def test_a_param_named_by_a_layer_of_unknown_blob_count_is_shared_later(tmp_path):
    # "own" is a fork type (blob count unknown): its param { name: "w" } still owns w, so c2's
    # dataset 0 may be missing (shared params are not saved).
    net = NET + ('layer { name: "own" type: "MyForkConv" bottom: "data" top: "a" param { name: "w" } }\n'
                 'layer { name: "c2" type: "Convolution" bottom: "data" top: "b" param { name: "w" } '
                 'param { name: "b2" } convolution_param { num_output: 4 kernel_size: 3 } }\n')
    result = preview(tmp_path, net, dict(STORED, own={"0": (4, 3, 3, 3)}, c2={"1": (4,)}))
    assert result.failures == []
    assert [o.status for o in result.of("c2")] == ["copied"]


DUPLICATE = NET + ('layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc2" '
                   'inner_product_param { num_output: 5 } }\n')


def test_duplicate_names_load_into_the_last_layer(tmp_path):
    net = load(DUPLICATE)
    result = preview_for_file(net, write_h5(tmp_path / "w.h5", STORED))
    first, last = result.of("fc")
    assert first.status == FILLER and "copies HDF5 weights into the last one only" in first.message
    assert last.status == "copied" and last.target_layer.tops == ["fc2"]


def test_binary_and_hdf5_rules_differ_for_duplicates(tmp_path):
    from .models import add_layer, net_message, write
    binary = net_message()
    add_layer(binary, "fc", "InnerProduct", [(5, 144), (5,)])
    path = write(binary, tmp_path / "w.caffemodel")
    first, last = preview_for_file(load(DUPLICATE), path).of("fc")
    assert first.status == "copied" and last.status == FILLER


@pytest.mark.parametrize("build, expected", [
    (lambda h: h.create_group("weights"), "without a /data group"),
    (lambda h: h.create_dataset("data", data=np.zeros(3)), "without a /data group"),
    (lambda h: h.create_dataset("data/fc", data=np.zeros(3)), "/data/fc is a dataset"),
    (lambda h: h.create_group("data/fc/0"), "/data/fc/0 is not a dataset"),
])
def test_malformed_layouts_are_one_line_errors(tmp_path, build, expected):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as handle:
        build(handle)
    with pytest.raises(PtxError) as info:
        scan_caffemodel(str(path))
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_corrupt_hdf5_is_a_one_line_error(tmp_path):
    data = open(write_h5(tmp_path / "a.h5", STORED), "rb").read()
    for cut in (data[:200], data[:8] + bytes(300), data[:len(data) // 2]):
        (tmp_path / "cut.h5").write_bytes(cut)
        with pytest.raises(PtxError) as info:
            scan_caffemodel(str(tmp_path / "cut.h5"))
        assert "\n" not in str(info.value)


def test_without_h5py_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    path = write_h5(tmp_path / "a.h5", STORED)
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(PtxError, match=r"needs h5py: pip install 'prototxt-tools\[hdf5\]'"):
        scan_caffemodel(path)


def test_h5py_is_imported_only_to_read_an_hdf5_file(tmp_path):
    code = ("import sys; from prototxt_tools.cli import main; "
            "main(['show', sys.argv[1]]); print('h5py' in sys.modules)")
    net = tmp_path / "net.prototxt"
    net.write_text(NET)
    out = subprocess.run([sys.executable, "-c", code, str(net)], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_cli_lists_an_hdf5_file(tmp_path, capsys):
    path = write_h5(tmp_path / "w.h5", STORED)
    assert main(["weights", path]) == 0
    out = capsys.readouterr().out
    assert "hdf5" in out.splitlines()[0] and out.splitlines()[-1] == "3 layers, 2 with weights, 837 values"
    assert main(["weights", path, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "hdf5" and doc["layers"][2]["blobs"][0]["shape"] == [5, 144]


def test_cli_show_and_lint_use_the_hdf5_rules(tmp_path, capsys):
    weights = write_h5(tmp_path / "w.h5", STORED)
    net = tmp_path / "net.prototxt"
    net.write_text(NET.replace("kernel_size: 3", "kernel_size: 3 bias_term: false"))
    assert main(["show", str(net), "--weights", weights]) == 0
    assert "Caffe would stop at layer 'conv1'" in capsys.readouterr().out
    assert main(["lint", str(net), "--weights", weights]) == 1
    assert ("PTX506 [error] Check failed: num_source_params <= target_blobs.size() (2 vs. 1) "
            "Incompatible number of blobs for layer conv1") in capsys.readouterr().out


@pytest.mark.parametrize("fc, source, hint", [
    ((144, 5), "144 5 (720)", "rename layer 'fc' to train it from scratch"),
    ((5, 100), "5 100 (500)", "same number of outputs: the input size differs"),
])
def test_lint_reports_hdf5_shape_mismatches(tmp_path, capsys, fc, source, hint):
    weights = write_h5(tmp_path / "w.h5", dict(STORED, fc={"0": fc, "1": (5,)}))
    net = tmp_path / "net.prototxt"
    net.write_text(NET)
    assert main(["lint", str(net), "--weights", weights]) == 1
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "PTX506" in x]
    assert f"Source shape is {source} target shape is 5 144 (720) -- {hint}" in line


def test_cli_bad_hdf5_weights_exit_2(tmp_path, capsys):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as handle:
        handle.create_group("weights")
    net = tmp_path / "net.prototxt"
    net.write_text(NET)
    code = main(["show", str(net), "--weights", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "without a /data group" in err


@pytest.mark.parametrize("fc", [(144, 5), (5, 100)])
def test_show_says_caffe_stops_at_an_hdf5_param_of_another_shape(tmp_path, capsys, fc):
    weights = write_h5(tmp_path / "w.h5", dict(STORED, fc={"0": fc, "1": (5,)}))
    net = tmp_path / "net.prototxt"
    net.write_text(NET)
    assert main(["show", str(net), "--weights", weights]) == 0
    assert "Caffe would stop at layer 'fc'" in capsys.readouterr().out
