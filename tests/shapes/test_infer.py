"""The walk: input sources, unknown fork layers, phases, totals, registrable fork rules."""
from __future__ import annotations

import pytest

from corpus import params
from prototxt_tools.api import load
from prototxt_tools.shapes import RULES, Shapes, infer_file, parse_input_shapes, register_rule
from prototxt_tools.errors import PtxError

from .helpers import entry, infer, layer, net, tops

CAFFENET = "fixtures/caffenet/train_val.prototxt"


def test_fork_layer_makes_only_its_dependents_unknown():
    text = net((1, 3, 8, 8), layer("f", "MyForkLayer", "data"), layer("r", "ReLU", "f"),
               layer("s", "ReLU", "data"))
    result = infer(text)
    assert [e.status for e in result.layers] == ["ok", "unknown-type", "unknown-input", "ok"]
    assert result.shape("s") == (1, 3, 8, 8)
    assert result.shape("r") is None


def test_fork_rule_can_be_registered():
    text = net((1, 3, 8, 8), layer("f", "DoubleIt", "data"), layer("r", "ReLU", "f"))
    register_rule("DoubleIt", lambda lay, bottoms: ([tuple(2 * d for d in bottoms[0])], []))
    try:
        assert tops(text, "r") == [(2, 6, 16, 16)]
    finally:
        del RULES["DoubleIt"]


def test_ssd_rules():
    text = net((1, 8, 5, 5),
               layer("perm", "Permute", "data", "permute_param { order: 0 order: 2 order: 3 order: 1 }"),
               layer("pb", "PriorBox", ["data", "data"],
                     "prior_box_param { min_size: 30 max_size: 60 aspect_ratio: 2 aspect_ratio: 2 flip: true }"),
               layer("norm", "Normalize", "data"))
    assert tops(text, "perm") == [(1, 5, 5, 8)]
    assert tops(text, "pb") == [(1, 2, 5 * 5 * 4 * 4)]      # ratios 1, 2, 1/2 + one max_size
    assert entry(text, "norm").params == [()]


def test_python_and_fork_readers_keep_only_their_image_top_unless_given():
    """A Python reader's other tops are its own; a segmentation reader's labels are one per
    pixel (ImageSegData: N x 1 x H x W), never BVLC's [N]."""
    loss = layer("loss", "SoftmaxWithLoss", ["data", "label"])
    for kind, label in (("Python", None), ("ImageSegData", (4, 1, 8, 8))):
        text = (f'layer {{ name: "in" type: "{kind}" top: "data" top: "label" '
                'python_param { module: "m" layer: "L" } }\n' if kind == "Python" else
                f'layer {{ name: "in" type: "{kind}" top: "data" top: "label" }}\n') + loss
        assert tops(text, "in", data=(4, 3, 8, 8)) == [(4, 3, 8, 8), label], kind
        assert tops(text, "in", data=(4, 3, 8, 8), label=(4,)) == [(4, 3, 8, 8), (4,)], kind


def test_net_level_inputs_and_legacy_input_dim():
    text = 'input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 10\ninput_dim: 10\n' + \
        layer("c", "Convolution", "data", "convolution_param { num_output: 2 kernel_size: 3 }")
    assert tops(text, "c") == [(1, 2, 8, 8)]
    assert tops(text, "c", data=(4, 3, 5, 5)) == [(4, 2, 3, 3)]


def test_data_layers_from_batch_and_crop_per_phase():
    ptx = load(CAFFENET)
    train, test = infer_file(ptx, "TRAIN"), infer_file(ptx, "TEST")
    assert train.shape("data") == (256, 3, 227, 227) and train.shape("label") == (256,)
    assert test.shape("data") == (50, 3, 227, 227)
    assert test.shape("accuracy") == () and train.shape("accuracy") is None
    assert train.of(ptx.net.layer_by_name("fc6")[0]).params == [(4096, 9216), (4096,)]


def test_totals_count_params_macs_and_caffes_memory_figure():
    text = net((1, 3, 8, 8), layer("c", "Convolution", "data", "convolution_param { num_output: 2 kernel_size: 3 }"),
               layer("r", "ReLU", "c", tops=["c"]))
    result = infer(text)
    assert result.total_params == 2 * 27 + 2
    assert result.total_macs == 2 * 6 * 6 * 27
    # Caffe sums every top of every layer, the in-place ReLU's again: 192 + 72 + 72 values.
    assert result.activation_bytes == (192 + 72 + 72) * 4


def test_v0_nets_are_upgraded_before_inference():
    text = ('input: "data" input_dim: 1 input_dim: 3 input_dim: 9 input_dim: 9\n'
            'layers { layer { name: "conv" type: "conv" num_output: 4 kernelsize: 3 stride: 2 } '
            'bottom: "data" top: "conv" }\n')
    assert tops(text, "conv") == [(1, 4, 4, 4)]


def test_input_shape_option_parsing():
    assert parse_input_shapes(["data=1,3,224,224", "im_info=1x3"]) == {"data": (1, 3, 224, 224), "im_info": (1, 3)}
    with pytest.raises(PtxError):
        parse_input_shapes(["data=1,a"])


@pytest.mark.parametrize("corpus_file", params("net"), indirect=True)
def test_corpus_nets_never_crash(corpus_file):
    try:
        ptx = load(str(corpus_file.path))
    except PtxError:
        return
    for phase in ("TRAIN", "TEST"):
        try:
            result = infer_file(ptx, phase)
        except PtxError as exc:   # Caffe refuses to upgrade these too (one line, exit 2)
            assert ptx.format == "mixed", exc
            continue
        for found in result.layers:
            assert found.status in ("ok", "error", "unknown-type", "unknown-input")
            assert len(found.tops) == len(found.layer.tops)
