"""Oracle tier: weight-copy predictions and surgery outputs against real Caffe.

Caffe writes the caffemodel (``net.save``) of a small net; variants of the net
(head renamed, num_output changed without a rename, bias_term removed, extra
layers, and a legacy V1 caffemodel) then load it with ``copy_from``.  Where Caffe
dies, ptx's first failure in source order carries Caffe's message verbatim; where
it loads, ptx predicts no failure and the copied values are the file's.
"""
from __future__ import annotations

import pytest

from prototxt_tools.api import load
from prototxt_tools.weights import preview_for_file, scan_caffemodel
from prototxt_tools.weights.plan import parse_plan
from prototxt_tools.weights.surgery import apply_surgery
from shapes.caffe_batch import run_jobs

from .models import add_layer, net_message, parse, write

pytestmark = pytest.mark.oracle
BASE = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
        convolution_param { num_output: 4 kernel_size: 3 weight_filler { type: "gaussian" std: 1 } } }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc"
        inner_product_param { num_output: 5 weight_filler { type: "gaussian" std: 1 } } }
'''
EXTRA = ('layer { name: "side" type: "Convolution" bottom: "data" top: "side" '
         'convolution_param { num_output: 2 kernel_size: 1 } }\n')
VARIANTS = {
    "same": BASE,
    "renamed": BASE.replace('name: "fc"', 'name: "fc_new"'),
    "num_output": BASE.replace("num_output: 5", "num_output: 7"),
    "no_bias": BASE.replace("kernel_size: 3", "kernel_size: 3 bias_term: false"),
    "extra": BASE + EXTRA,
    "input_size": BASE.replace("dim: 8 dim: 8", "dim: 10 dim: 10"),
    "two_classes": BASE.replace("num_output: 5", "num_output: 2"),
}


def write_nets(folder, texts) -> dict:
    """key -> path of ``texts[key]`` written as ``folder/key.prototxt`` (Caffe reads files)."""
    nets = {}
    for key, text in texts.items():
        nets[key] = folder / f"{key}.prototxt"
        nets[key].write_text(text)
    return nets


@pytest.fixture(scope="module")
def caffe_files(pycaffe, tmp_path_factory):
    folder = tmp_path_factory.mktemp("weights-oracle")
    nets = write_nets(folder, VARIANTS)
    saved = folder / "base.caffemodel"
    run_jobs([{"key": "save", "net": str(nets["same"]), "phase": "TRAIN", "save": str(saved)}], pycaffe)
    kept = folder / "kept.caffemodel"
    apply_surgery(str(saved), str(kept), parse_plan([], [], ["fc=3,1"]))
    legacy = folder / "legacy.caffemodel"
    _write_legacy(saved, legacy)
    jobs = [{"key": k, "net": str(p), "phase": "TRAIN", "weights": str(saved), "values": True}
            for k, p in nets.items()]
    jobs.append({"key": "kept", "net": str(nets["two_classes"]), "phase": "TRAIN",
                 "weights": str(kept), "values": True})
    jobs.append({"key": "legacy", "net": str(nets["same"]), "phase": "TRAIN",
                 "weights": str(legacy), "values": True})
    jobs.append({"key": "legacy_num_output", "net": str(nets["num_output"]), "phase": "TRAIN",
                 "weights": str(legacy)})
    return run_jobs(jobs, pycaffe), {"base": str(saved), "kept": str(kept), "legacy": str(legacy)}


def _write_legacy(saved, legacy) -> None:
    """The same weights as a V1 caffemodel with num/channels/height/width blobs."""
    source = parse(saved)
    net = net_message()
    for layer in source.layer:
        shapes = [tuple(b.shape.dim) for b in layer.blobs]
        entry = add_layer(net, layer.name, "", shapes, legacy=True, v1_type=14 if layer.name == "fc" else 4)
        for blob, original in zip(entry.blobs, layer.blobs):
            del blob.data[:]
            blob.data.extend(original.data)
    write(net, legacy)


def _first_failure(preview, scan):
    order = [layer.name for layer in scan.layers]
    failures = sorted(preview.failures, key=lambda o: order.index(o.layer))
    return failures[0] if failures else None


@pytest.mark.parametrize("key", sorted(VARIANTS) + ["legacy", "legacy_num_output"])
def test_copy_preview_matches_caffe(caffe_files, key):
    answers, files = caffe_files
    weights = files["legacy"] if key.startswith("legacy") else files["base"]
    text = VARIANTS["num_output"] if key == "legacy_num_output" else VARIANTS.get(key, BASE)
    preview = preview_for_file(load(text), weights)
    failure = _first_failure(preview, scan_caffemodel(weights))
    answer = answers[key]
    if "fatal" in answer:
        assert failure is not None and failure.message == answer["fatal"]
        return
    assert failure is None, failure.message
    stored = {layer.name: [list(b.data) for b in layer.blobs] for layer in parse(files["base"]).layer}
    copied = [o.layer for o in preview.outcomes if o.status == "copied"]
    assert copied
    for name in copied:
        for caffe_values, file_values in zip(answer["values"][name], stored[name]):
            assert caffe_values == pytest.approx(file_values)


def test_kept_classes_load_in_caffe_with_the_chosen_rows(caffe_files):
    answers, files = caffe_files
    fc = next(layer for layer in parse(files["base"]).layer if layer.name == "fc")
    weights, bias = list(fc.blobs[0].data), list(fc.blobs[1].data)
    row = len(weights) // 5
    expected = weights[3 * row:4 * row] + weights[1 * row:2 * row]
    loaded = answers["kept"]["values"]["fc"]
    assert loaded[0] == pytest.approx(expected)
    assert loaded[1] == pytest.approx([bias[3], bias[1]])
