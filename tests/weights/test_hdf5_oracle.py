"""Oracle tier: HDF5 weight-copy predictions against real Caffe.

Caffe writes the weights (``net.save_hdf5``) of a small net and of its bias-free
variant; variants then load them with ``copy_from``, which picks the HDF5 loader as
Caffe does (H5Fis_hdf5).  Where Caffe dies, ptx's fatal outcome carries Caffe's
message verbatim; where it loads, ptx's copied layers hold the file's values in
Caffe (upstream BVLC stops at a param of another shape: ptx's fatal outcome says so).
Files edited by ``ptx weights`` surgery (--keep-classes, --rename) load into the edited
net, and Caffe then holds the chosen rows.
"""
from __future__ import annotations

import shutil

import pytest

from prototxt_tools.api import load
from prototxt_tools.weights import preview_for_file
from prototxt_tools.weights.plan import parse_plan
from prototxt_tools.weights.surgery import apply_surgery
from shapes.caffe_batch import run_jobs

from .test_oracle import BASE, VARIANTS, write_nets

h5py = pytest.importorskip("h5py")
pytestmark = pytest.mark.oracle

DUPLICATE = BASE + ('layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc2" '
                    'inner_product_param { num_output: 5 weight_filler { type: "gaussian" std: 1 } } }\n')
SHARED = BASE + ('layer { name: "conv1b" type: "Convolution" bottom: "data" top: "conv1b" '
                 'param { name: "w" } param { name: "b" } convolution_param { num_output: 4 kernel_size: 3 } }\n'
                 'layer { name: "conv1c" type: "Convolution" bottom: "data" top: "conv1c" '
                 'param { name: "w" } param { name: "b" } convolution_param { num_output: 4 kernel_size: 3 } }\n')
NETS = {"same": BASE, "renamed": VARIANTS["renamed"], "num_output": VARIANTS["num_output"],
        "no_bias": VARIANTS["no_bias"], "duplicate": DUPLICATE, "shared": SHARED}
# key -> (net, weights file): "fewer" loads the bias-free file into the net with biases
CASES = {key: (key, "base") for key in ("same", "renamed", "num_output", "no_bias", "duplicate")}
CASES.update(fewer=("same", "no_bias"), shared=("shared", "shared"),
             shared_unshared=("same", "shared"))


@pytest.fixture(scope="module")
def caffe_files(pycaffe, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hdf5-oracle")
    nets = write_nets(folder, NETS)
    files = {key: str(folder / f"{key}.caffemodel.h5") for key in ("base", "no_bias", "shared")}
    run_jobs([{"key": "save-" + key, "net": str(nets["same" if key == "base" else key]),
               "phase": "TRAIN", "save_hdf5": path} for key, path in files.items()], pycaffe)
    jobs = [{"key": key, "net": str(nets[net]), "phase": "TRAIN", "weights": files[weights],
             "values": True} for key, (net, weights) in CASES.items()]
    return run_jobs(jobs, pycaffe), files


def _stored(path):
    with h5py.File(path, "r") as handle:
        return {name: {k: handle["data"][name][k][()].ravel().tolist() for k in handle["data"][name]}
                for name in handle["data"]}


@pytest.mark.parametrize("key", sorted(CASES))
def test_hdf5_copy_preview_matches_caffe(caffe_files, key):
    answers, files = caffe_files
    net_key, weights_key = CASES[key]
    preview = preview_for_file(load(NETS[net_key]), files[weights_key])
    answer = answers[key]
    if "fatal" in answer:
        assert [o.message for o in preview.fatal] == [answer["fatal"]]
        return
    assert preview.fatal == []
    stored = _stored(files[weights_key])
    layer_values = answer["layer_values"]
    for outcome in preview.outcomes:
        if outcome.status not in ("copied", "shape") or outcome.message:
            continue
        for j, values in enumerate(_caffe_values(layer_values, preview, outcome)):
            assert values == pytest.approx(stored[outcome.layer][str(j)])
    assert preview.failures == []   # every failure is fatal in upstream Caffe


def _caffe_values(layer_values, preview, outcome):
    """The values Caffe holds for ``outcome``'s layer: the same occurrence of its name
    (Caffe's list also has the Split layers it inserts, so indices differ)."""
    same_name = [o.target_layer for o in preview.outcomes
                 if o.layer == outcome.layer and o.target_layer is not None]
    occurrence = same_name.index(outcome.target_layer)
    return [values for name, values in layer_values if name == outcome.layer][occurrence]


def test_duplicate_names_fill_the_last_layer_only(caffe_files):
    answers, files = caffe_files
    values = answers["duplicate"]["layer_values"]
    first, last = [entry for entry in values if entry[0] == "fc"]
    stored = _stored(files["base"])["fc"]["0"]
    assert last[1][0] == pytest.approx(stored) and first[1][0] != pytest.approx(stored)
    outcomes = preview_for_file(load(DUPLICATE), files["base"]).of("fc")
    assert [o.status for o in outcomes] == ["filler", "copied"]


def test_caffe_saves_only_owned_params(caffe_files):
    _answers, files = caffe_files
    stored = _stored(files["shared"])
    assert sorted(stored["conv1b"]) == ["0", "1"] and stored["conv1c"] == {}


EDITED_NETS = {"two_classes": VARIANTS["two_classes"], "renamed": VARIANTS["renamed"],
               "both": VARIANTS["renamed"].replace("num_output: 5", "num_output: 2")}
# key -> (net the edited file is loaded into, surgery plan, layer name in that net)
EDITS = {"kept": ("two_classes", ([], [], ["fc=3,1"]), "fc"),
         "renamed": ("renamed", (["fc=fc_new"], [], []), "fc_new"),
         "both": ("both", (["fc=fc_new"], [], ["fc=3,1"]), "fc_new")}


@pytest.fixture(scope="module")
def edited_files(pycaffe, caffe_files, tmp_path_factory):
    """Caffe's own HDF5 file (its fc bias, all zeros from the filler, set to 10..14 so that
    the rows differ) edited by ptx, then loaded by Caffe into the edited nets."""
    _answers, files = caffe_files
    folder = tmp_path_factory.mktemp("hdf5-surgery-oracle")
    nets = write_nets(folder, EDITED_NETS)
    base = folder / "base.caffemodel.h5"
    shutil.copyfile(files["base"], base)
    with h5py.File(base, "r+") as handle:
        handle["data/fc/1"][...] = [10, 11, 12, 13, 14]
    edited = {key: str(folder / f"{key}.caffemodel.h5") for key in EDITS}
    for key, (_net, plan, _layer) in EDITS.items():
        apply_surgery(str(base), edited[key], parse_plan(*plan))
    jobs = [{"key": key, "net": str(nets[net]), "phase": "TRAIN", "weights": edited[key],
             "values": True} for key, (net, _plan, _layer) in EDITS.items()]
    return run_jobs(jobs, pycaffe), edited, _stored(base)["fc"]


@pytest.mark.parametrize("key", sorted(EDITS))
def test_edited_hdf5_loads_in_caffe_with_the_chosen_rows(edited_files, key):
    answers, edited, fc = edited_files
    net, plan, layer = EDITS[key]
    answer = answers[key]
    assert "fatal" not in answer, answer.get("fatal")
    rows = [3, 1] if plan[2] else list(range(5))
    width = len(fc["0"]) // 5
    weights = [v for r in rows for v in fc["0"][r * width:(r + 1) * width]]
    assert answer["values"][layer][0] == pytest.approx(weights)
    assert answer["values"][layer][1] == pytest.approx([fc["1"][r] for r in rows])
    preview = preview_for_file(load(EDITED_NETS[net]), edited[key])
    assert preview.failures == [] and [o.status for o in preview.of(layer)] == ["copied"]
