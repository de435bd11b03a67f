"""CopyTrainedLayersFrom without Caffe: matching by name, blob counts, ShapeEquals, messages."""
from __future__ import annotations

from prototxt_tools.api import load
from prototxt_tools.weights import preview_for_file, shape_equals
from prototxt_tools.weights.stored import StoredBlob

from .models import add_layer, net_message, write

NET = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
        convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc" inner_product_param { num_output: 5 } }
'''


def blob(shape, legacy=False):
    size = 1
    for d in shape:
        size *= d
    return StoredBlob(tuple(shape), legacy, size, 0, 0)


def test_shape_equals_legacy_rule():
    assert shape_equals((4096, 9216), blob((1, 1, 4096, 9216), legacy=True))
    assert shape_equals((4096,), blob((1, 1, 1, 4096), legacy=True))
    assert not shape_equals((4096, 256, 6, 6), blob((1, 1, 4096, 9216), legacy=True))
    assert not shape_equals((1, 2, 3, 4, 5), blob((2, 3, 4, 5), legacy=True))
    assert not shape_equals((4096,), blob((1, 4096)))


def preview(tmp_path, *layers, text=NET):
    net = net_message()
    for name, kind, shapes in layers:
        add_layer(net, name, kind, shapes)
    path = write(net, tmp_path / "w.caffemodel")
    return {o.layer: o for o in preview_for_file(load(text), path).outcomes}


def test_copied_filler_and_ignored(tmp_path):
    found = preview(tmp_path, ("conv1", "Convolution", [(4, 3, 3, 3), (4,)]),
                    ("fc8", "InnerProduct", [(10, 7)]))
    assert found["conv1"].status == "copied"
    assert found["fc"].status == "filler"
    assert (found["fc8"].status, found["fc8"].message) == ("ignored", "Ignoring source layer fc8")


def test_shape_mismatch_message_is_caffes(tmp_path):
    found = preview(tmp_path, ("fc", "InnerProduct", [(10, 144), (10,)]))
    assert found["fc"].status == "shape"
    assert found["fc"].message == (
        "Cannot copy param 0 weights from layer 'fc'; shape mismatch.  Source param shape is "
        "10 144 (1440); target param shape is 5 144 (720). To learn this layer's parameters from "
        "scratch rather than copying from a saved net, rename the layer.")


def test_blob_count_mismatch(tmp_path):
    found = preview(tmp_path, ("conv1", "Convolution", [(4, 3, 3, 3)]))
    assert found["conv1"].message == ("Check failed: target_blobs.size() == source_layer.blobs_size() "
                                      "(2 vs. 1) Incompatible number of blobs for layer conv1")


def test_first_layer_of_a_name_takes_the_weights(tmp_path):
    twice = NET + 'layer { name: "fc" type: "InnerProduct" bottom: "conv1" top: "fc2" ' \
                  'inner_product_param { num_output: 3 } }\n'
    net = net_message()
    add_layer(net, "fc", "InnerProduct", [(5, 144), (5,)])
    outcomes = preview_for_file(load(twice), write(net, tmp_path / "w.caffemodel")).outcomes
    assert [(o.layer, o.status) for o in outcomes if o.layer == "fc"] == [("fc", "copied"), ("fc", "filler")]


def test_later_files_win_but_failures_stick(tmp_path):
    good, bad = net_message(), net_message()
    add_layer(good, "fc", "InnerProduct", [(5, 144), (5,)])
    add_layer(bad, "fc", "InnerProduct", [(6, 144), (6,)])
    paths = [write(bad, tmp_path / "bad.caffemodel"), write(good, tmp_path / "good.caffemodel")]
    found = {o.layer: o for o in preview_for_file(load(NET), paths).outcomes}
    assert found["fc"].status == "shape" and found["fc"].weights == paths[0]
