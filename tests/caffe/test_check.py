"""``ptx check`` against real Caffe: verdicts, positions, shapes, weights, training, cleanup."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus import CORPUS, REPO, require_corpus
from prototxt_tools.weights import scan_caffemodel
from prototxt_tools.caffe.check import check_net

pytestmark = pytest.mark.oracle
CAFFENET = REPO / "fixtures" / "caffenet" / "train_val.prototxt"
BROKEN = sorted((REPO / "fixtures" / "graph").glob("broken_*.prototxt"))

SMALL = """name: "small"
layer { name: "data" type: "Data" top: "data" top: "label"
  data_param { source: "nowhere_lmdb" batch_size: 4 backend: LMDB }
  transform_param { crop_size: 8 mean_value: 1 mean_value: 2 mean_value: 3 } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 0 } param { lr_mult: 0 }
  convolution_param { num_output: 4 kernel_size: 3 weight_filler { type: "xavier" } } }
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1" }
layer { name: "ip1" type: "InnerProduct" bottom: "conv1" top: "ip1"
  inner_product_param { num_output: 3 weight_filler { type: "xavier" } } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip1" bottom: "label" top: "loss" }
"""
DANGLING = SMALL + """layer { name: "side" type: "InnerProduct" bottom: "conv1" top: "side"
  inner_product_param { num_output: 2 weight_filler { type: "xavier" } } }
"""


def ptx(*args, env=None):
    return subprocess.run([sys.executable, "-m", "prototxt_tools", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_rejected_net_gives_caffe_line_at_the_named_layer(pycaffe, path):
    run = ptx(path, "--json")
    assert run.returncode == 1, run.stderr
    error = json.loads(run.stdout)["caffe_error"]
    assert error["caffe_source"].split(":")[0].endswith(".cpp")
    line = path.read_text().splitlines()[error["line"] - 1]
    assert f'name: "{error["layer"]}"' in line
    plain = ptx(path)
    first, which = plain.stderr.splitlines()  # Caffe's verdict, then which Caffe gave it
    assert first.startswith(f"{path}:{error['line']}:{error['col']}: error: Caffe: ")
    assert which.startswith("Caffe: upstream BVLC Caffe, pycaffe ")


def test_builds_caffenet_with_data_layers_swapped(pycaffe):
    result = check_net(str(CAFFENET), "TEST")
    assert result.fatal is None
    blobs = dict(result.blobs)
    assert blobs["data"] == (50, 3, 227, 227) and blobs["label"] == (50,)
    assert sorted(result.outputs) == ["accuracy", "loss"]
    assert result.swapped == ["data"]
    train = check_net(str(CAFFENET), "TRAIN", input_shapes={"data": (2, 3, 99, 99)})
    assert dict(train.blobs)["data"] == (2, 3, 99, 99) and train.outputs == ["loss"]


def test_plain_output_is_a_table(pycaffe):
    run = ptx(CAFFENET)
    assert run.returncode == 0, run.stderr
    assert "fc8" in run.stdout and "256x1000" in run.stdout and "outputs: loss" in run.stdout


def test_underivable_shape_is_one_line_at_the_layer(pycaffe, tmp_path):
    net = write(tmp_path, "h5.prototxt", 'layer { name: "h5" type: "HDF5Data" top: "x"\n'
                '  hdf5_data_param { source: "list.txt" batch_size: 2 } }\n')
    run = ptx(net)
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"{net}:1:1: error: cannot derive the shape of 'x'")
    assert ptx(net, "--input-shape", "x=2,5").returncode == 0


@pytest.mark.parametrize("case", ["success", "rejected", "timeout"])
def test_no_temp_files_left(pycaffe, tmp_path, case):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    net = BROKEN[0] if case == "rejected" else CAFFENET
    extra = ["--timeout", "0.05"] if case == "timeout" else []
    run = ptx(net, *extra, env=env)
    assert run.returncode == {"success": 0, "rejected": 1, "timeout": 2}[case], run.stderr
    if case == "timeout":
        assert "did not finish within" in run.stderr and run.stderr.count("\n") == 1
    assert list(scratch.iterdir()) == []


def test_train_steps_frozen_layers_stay_and_others_move(pycaffe, tmp_path):
    result = check_net(str(write(tmp_path, "small.prototxt", SMALL)), train_steps=2)
    verdicts = {t.name: t for t in result.training}
    assert verdicts["conv1"].expected == "frozen" and not verdicts["conv1"].changed
    assert verdicts["ip1"].expected == "trains" and verdicts["ip1"].changed
    assert verdicts["bn1"].expected == "statistics" and verdicts["bn1"].changed
    assert result.ok and not any(t.problem for t in result.training)


def test_train_steps_flags_a_layer_that_gets_no_gradient(pycaffe, tmp_path):
    run = ptx(write(tmp_path, "dangling.prototxt", DANGLING), "--train-steps", "1", "--json")
    assert run.returncode == 1, run.stderr
    problems = {t["name"]: t["problem"] for t in json.loads(run.stdout)["training"] if t["problem"]}
    assert list(problems) == ["side"] and "did not change" in problems["side"]


def test_caffemodel_round_trip_and_weights_report(pycaffe, tmp_path):
    model = tmp_path / "small.caffemodel"
    built = check_net(str(write(tmp_path, "small.prototxt", SMALL)), save_weights=str(model))
    stored = scan_caffemodel(str(model)).layers
    assert [layer.name for layer in stored] == [name for name, _ in built.layers]
    assert {l.name: l.blob_shapes for l in stored if l.blob_shapes} == built.params
    renamed = write(tmp_path, "renamed.prototxt", SMALL.replace('"ip1"', '"ip1_new"'))
    report = check_net(str(renamed), weights=str(model)).weights
    assert report.copied == ["conv1", "bn1"]
    assert report.ignored == ["ip1"] and report.not_in_weights == ["ip1_new"]


STAGED = """name: "staged"
layer { name: "data" type: "Data" top: "data" include { phase: TRAIN stage: "small" }
  data_param { source: "nowhere_lmdb" batch_size: 2 backend: LMDB }
  transform_param { crop_size: 8 } }
layer { name: "data" type: "Data" top: "data" include { phase: TRAIN not_stage: "small" }
  data_param { source: "nowhere_lmdb" batch_size: 2 backend: LMDB } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "fc"
  inner_product_param { num_output: 3 } }
layer { name: "deep" type: "InnerProduct" bottom: "fc" top: "deep"
  include { min_level: 1 } inner_product_param { num_output: 2 } }
layer { name: "twin" type: "InnerProduct" bottom: "data" top: "fc"
  include { stage: "twin" } inner_product_param { num_output: 3 } }
"""


def test_stage_and_level_select_layers_as_caffe_does(pycaffe, tmp_path):
    net = write(tmp_path, "staged.prototxt", STAGED)
    # the uncropped data layer is outside the "small" stage: its unknown shape does not matter
    small = check_net(str(net), stages=["small"])
    assert small.fatal is None and small.swapped == ["data"]
    assert dict(small.blobs)["data"] == (2, 3, 8, 8) and small.outputs == ["fc"]
    deep = check_net(str(net), stages=["small"], level=1)
    assert deep.outputs == ["deep"] and [n for n, _ in deep.layers] == ["data", "ip", "deep"]
    run = ptx(net, "--stage", "small", "--level", "1", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["outputs"] == ["deep"]
    # Caffe's message names no layer: ptx's graph of the same state finds it
    run = ptx(net, "--stage", "small", "--stage", "twin", "--json")
    assert run.returncode == 1, run.stderr
    error = json.loads(run.stdout)["caffe_error"]
    assert "produced by multiple sources" in error["message"] and error["layer"] == "twin"
    assert error["line"] == STAGED.splitlines().index(
        next(l for l in STAGED.splitlines() if '"twin"' in l)) + 1
    # without the stage, the uncropped data layer is the one built
    run = ptx(net, "--input-shape", "data=2,3,5,5", "--json")
    assert run.returncode == 0 and json.loads(run.stdout)["swapped_data_layers"] == ["data"]


FROZEN_INPUT = SMALL.replace(
    'layer { name: "ip1"',
    'layer { name: "zero" type: "Power" bottom: "conv1" top: "zero" power_param { scale: 0 } }\n'
    'layer { name: "ip1"').replace('name: "ip1" type: "InnerProduct" bottom: "conv1"',
                                   'name: "ip1" type: "InnerProduct" bottom: "zero"')


def test_train_steps_judges_each_parameter_blob(pycaffe, tmp_path):
    # ip1 reads zeros: its weights get no gradient, only its bias moves; that is not training
    result = check_net(str(write(tmp_path, "zero.prototxt", FROZEN_INPUT)), train_steps=1)
    ip1 = next(t for t in result.training if t.name == "ip1")
    assert ip1.deltas[0] == 0 and ip1.deltas[1] > 0
    assert ip1.problem and "param 0 did not change" in ip1.problem and not result.ok


def test_train_steps_start_from_the_weights(pycaffe, tmp_path):
    model = tmp_path / "small.caffemodel"
    check_net(str(write(tmp_path, "small.prototxt", SMALL)), save_weights=str(model))
    # the head's num_output changed without a rename: Caffe cannot copy its weights
    resized = write(tmp_path, "resized.prototxt", SMALL.replace("num_output: 3", "num_output: 5"))
    for steps in (0, 1):
        run = ptx(resized, "--weights", model, "--train-steps", steps, "--json")
        assert run.returncode == 1, run.stderr
        assert "Cannot copy param 0 weights from layer 'ip1'" in json.loads(run.stdout)[
            "caffe_error"]["message"]
    # with matching weights the steps load them and run
    result = check_net(str(write(tmp_path, "same.prototxt", SMALL)), weights=str(model),
                       train_steps=1)
    assert result.ok and result.weights.copied == ["conv1", "bn1", "ip1"]


def test_train_steps_say_the_batch_cap(pycaffe, tmp_path):
    result = check_net(str(write(tmp_path, "small.prototxt", SMALL)), train_steps=1)
    assert dict(result.blobs)["data"][0] == 2
    assert any("capped at 2" in note and "says 4" in note for note in result.notes)
    run = ptx(tmp_path / "small.prototxt", "--train-steps", "1")
    assert "note: batch of 'data' capped at 2 for --train-steps (the layer says 4)" in run.stdout


EQUAL_SHAPES = "Check failed: bottom[0]->shape() == bottom[i]->shape()"  # upstream eltwise_layer.cpp
FUSE = """name: "fuse"
layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "score" type: "Convolution" bottom: "data" top: "score"
  convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "score_new" type: "Convolution" bottom: "data" top: "score_new"
  convolution_param { num_output: 5 kernel_size: 1 } }
layer {
  name: "fuse"
  type: "Eltwise"
  bottom: "score_new"
  bottom: "score"
  top: "fuse"
}
"""


def test_eltwise_of_21_and_5_channels_is_rejected_at_its_line(pycaffe, tmp_path):
    # upstream CHECKs equal shapes in EltwiseLayer::Reshape (the brocolli fork does not)
    net = write(tmp_path, "fuse.prototxt", FUSE)
    run = ptx(net)
    assert run.returncode == 1, run.stdout + run.stderr
    line = FUSE.splitlines().index("layer {") + 1
    assert run.stderr.startswith(f"{net}:{line}:1: error: Caffe: {EQUAL_SHAPES} "
                                 "bottom[0]: 1 5 8 8 (320), bottom[1]: 1 21 8 8 (1344)")


def test_fcn8s_with_a_5_class_score_is_rejected_at_fuse_pool4(pycaffe, tmp_path):
    require_corpus()
    source = CORPUS / "files/shelhamer__fcn.berkeleyvision.org/voc-fcn8s/train.prototxt"
    edited = tmp_path / "train5.prototxt"
    edit = subprocess.run([sys.executable, "-m", "prototxt_tools", "edit", str(source),
                           "--num-output", "score_fr=5", "--num-output", "upscore2=5",
                           "-o", str(edited)], capture_output=True, text=True, cwd=REPO)
    # ptx refuses it from channels alone (shapes.partial); write the same edit unchecked
    assert edit.returncode == 2 and "layer 'fuse_pool4'" in edit.stderr, edit.stderr
    edited.write_text(_unchecked_num_outputs(source.read_text(), {"score_fr": 5, "upscore2": 5}))
    run = ptx(edited, "--input-shape", "data=1,3,224,224", "--input-shape", "label=1,1,224,224")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = edited.read_text().splitlines()
    fuse_line = lines.index('  name: "fuse_pool4"')   # 0-based: the line before is "layer {"
    assert lines[fuse_line - 1].startswith("layer")
    assert run.stderr.startswith(f"{edited}:{fuse_line}:1: error: Caffe: {EQUAL_SHAPES}")


def _unchecked_num_outputs(text: str, counts: dict) -> str:
    """The num_output pass's edits applied without the edit check (to show Caffe's verdict)."""
    import prototxt_tools
    from prototxt_tools.edits import apply_edits
    from prototxt_tools.passes import get_pass
    for layer, n in counts.items():
        edits = get_pass("num_output").run(prototxt_tools.load(text), layer=layer, n=n).edits
        text = apply_edits(text, edits)
    return text


def test_batch_notes_only_for_derived_shapes(pycaffe, tmp_path):
    net = write(tmp_path, "nobatch.prototxt", SMALL.replace("batch_size: 4 ", ""))
    assert any("not given: 1 used" in note for note in check_net(str(net)).notes)
    given = check_net(str(net), input_shapes={"data": (1, 3, 8, 8)})
    assert given.fatal is None and not any("batch" in note for note in given.notes)
