"""Routing and reshaping layers: Concat, Eltwise, Slice, Crop, Reshape, Flatten, Tile, ..."""
from __future__ import annotations

from .helpers import entry, error, layer, net, tops

SHAPE = (2, 3, 4, 5)


def one(kind: str, params: str = "", shape=SHAPE, bottoms=("data",), n_tops: int = 1) -> str:
    top_names = ["t"] if n_tops == 1 else [f"t{i}" for i in range(n_tops)]
    return net(shape, layer("t", kind, list(bottoms), params, top_names))


def test_concat_sums_the_axis_and_names_the_mismatch():
    text = net(SHAPE, layer("a", "Pooling", "data", "pooling_param { kernel_size: 2 stride: 2 }"),
               layer("b", "Convolution", "data", "convolution_param { num_output: 1 kernel_size: 2 stride: 2 }"),
               layer("cat", "Concat", ["a", "b"]))
    assert error(text, "cat") == ("Check failed: top_shape[j] == bottom[i]->shape(j) (3 vs. 2) "
                                  "All inputs must have the same shape, except at concat_axis.")
    good = net(SHAPE, layer("cat", "Concat", ["data", "data"], "concat_param { axis: -1 }"))
    assert tops(good, "cat") == [(2, 3, 4, 10)]


def test_eltwise_mismatch_message_and_coefficients():
    text = net(SHAPE, layer("f", "Flatten", "data"), layer("e", "Eltwise", ["data", "f"]))
    assert error(text, "e") == ("Check failed: bottom[0]->shape() == bottom[i]->shape() "
                                "bottom[0]: 2 3 4 5 (120), bottom[1]: 2 60 (120)")
    assert error(one("Eltwise", "eltwise_param { coeff: 1 }", bottoms=("data", "data")), "t").endswith(
        "Eltwise Layer takes one coefficient per bottom blob.")


def test_slice_points_and_even_split():
    assert tops(one("Slice", "slice_param { slice_point: 1 }", n_tops=2), "t") == [(2, 1, 4, 5), (2, 2, 4, 5)]
    assert error(one("Slice", "", n_tops=2), "t") == (
        "Check failed: bottom_slice_axis % top.size() == 0 (1 vs. 0) "
        "Number of top blobs (2) should evenly divide input slice axis (3)")
    assert tops(one("Slice", "slice_param { axis: 0 }", n_tops=2), "t") == [(1, 3, 4, 5)] * 2


def test_crop_takes_reference_dims_from_axis_and_checks_bounds():
    ref = net(SHAPE, layer("p", "Pooling", "data", "pooling_param { kernel_size: 2 stride: 2 }"),
              layer("c", "Crop", ["data", "p"], "crop_param { offset: 1 }"))
    assert tops(ref, "c") == [(2, 3, 2, 3)]
    bad = ref.replace("offset: 1", "offset: 3")
    assert error(bad, "c") == ("Check failed: bottom[0]->shape(i) - crop_offset >= bottom[1]->shape(i) "
                               "(1 vs. 2) the crop for dimension 2 is out-of-bounds with size 2 and offset 3")


def test_reshape_zero_copies_and_minus_one_infers():
    assert tops(one("Reshape", "reshape_param { shape { dim: 0 dim: -1 } }"), "t") == [(2, 60)]
    assert tops(one("Reshape", "reshape_param { shape { dim: 0 dim: 0 dim: -1 } axis: 1 num_axes: 2 }"),
                "t") == [(2, 3, 4, 1, 5)]   # dims 1..2 become 3, 4 and an inferred 1
    assert tops(one("Reshape", "reshape_param { shape { dim: 1 } axis: -1 num_axes: 0 }"), "t") == [(2, 3, 4, 5, 1)]


def test_reshape_errors_carry_caffes_text():
    assert error(one("Reshape", "reshape_param { shape { dim: -1 dim: 7 } }"), "t") == (
        "Check failed: 0 == bottom[0]->count() % explicit_count (0 vs. 1) bottom count (120) must be "
        "divisible by the product of the specified dimensions (7)")
    assert error(one("Reshape", "reshape_param { shape { dim: -1 dim: -1 } }"), "t").endswith(
        "new shape contains multiple -1 dims; at most a single (1) value of -1 may be specified")
    assert error(one("Reshape", "reshape_param { shape { dim: 0 dim: 0 dim: 0 dim: 0 dim: 0 } }"),
                 "t").endswith("new shape contains a 0, but there was no corresponding bottom axis to copy")
    assert error(one("Reshape", "reshape_param { shape { dim: 7 } }"), "t") == (
        "Check failed: top[0]->count() == bottom[0]->count() (7 vs. 120) output count must match input count")


def test_flatten_axis_and_end_axis():
    assert tops(one("Flatten"), "t") == [(2, 60)]
    assert tops(one("Flatten", "flatten_param { axis: 1 end_axis: 2 }"), "t") == [(2, 12, 5)]
    assert tops(one("Flatten", "flatten_param { axis: -2 }"), "t") == [(2, 3, 20)]


def test_inner_product_axis_and_transpose():
    found = entry(one("InnerProduct", "inner_product_param { num_output: 7 axis: 2 transpose: true }"), "t")
    assert found.tops == [(2, 3, 7)]
    assert found.params == [(20, 7), (7,)]
    assert found.macs == 6 * 20 * 7


def test_reduction_argmax_tile_embed():
    assert tops(one("Reduction"), "t") == [()]
    assert tops(one("Reduction", "reduction_param { axis: -1 }"), "t") == [(2, 3, 4)]
    assert tops(one("ArgMax", "argmax_param { top_k: 2 out_max_val: true }"), "t") == [(2, 2, 2, 1)]
    assert tops(one("ArgMax", "argmax_param { axis: 1 }"), "t") == [(2, 1, 4, 5)]
    assert tops(one("Tile", "tile_param { tiles: 3 axis: -1 }"), "t") == [(2, 3, 4, 15)]
    assert error(one("Tile"), "t") == "Check failed: tile_param.has_tiles() Number of tiles must be specified"
    found = entry(one("Embed", "embed_param { num_output: 8 input_dim: 100 }", shape=(5, 2)), "t")
    assert (found.tops, found.params) == ([(5, 2, 8)], [(100, 8), (8,)])


def test_lstm_shapes_and_params():
    text = net((4, 2, 6), layer("cont", "DummyData", [], "dummy_data_param { shape { dim: 4 dim: 2 } }"),
               layer("l", "LSTM", ["data", "cont"], "recurrent_param { num_output: 5 }"))
    found = entry(text, "l")
    assert found.tops == [(4, 2, 5)]
    assert found.params == [(20, 6), (20,), (20, 5)]


def test_scale_bias_batchnorm_prelu_params():
    assert entry(one("Scale", "scale_param { bias_term: true }"), "t").params == [(3,), (3,)]
    assert entry(one("Scale", "scale_param { axis: 0 num_axes: -1 }"), "t").params == [SHAPE]
    assert entry(one("BatchNorm"), "t").params == [(3,), (3,), (1,)]
    assert entry(one("PReLU", "prelu_param { channel_shared: true }"), "t").params == [()]
    assert error(one("Scale", "scale_param { axis: 2 num_axes: 3 }"), "t") == (
        "Check failed: bottom[0]->num_axes() >= axis_ + num_axes (4 vs. 5) scale blob's shape extends "
        "past bottom[0]'s shape when applied starting with bottom[0] axis = 2")


def test_losses_check_label_counts():
    text = net((2, 10, 3, 3), layer("label", "DummyData", [], "dummy_data_param { shape { dim: 2 } }"),
               layer("loss", "SoftmaxWithLoss", ["data", "label"]),
               layer("acc", "Accuracy", ["data", "label"]))
    message = error(text, "loss")
    assert message.startswith("Check failed: outer_num_ * inner_num_ == bottom[1]->count() (18 vs. 2) "
                              "Number of labels must match number of predictions; e.g., if softmax axis")
    assert "if label axis == 1" in error(text, "acc")
    fine = text.replace("dim: 2 }", "dim: 2 dim: 3 dim: 3 }")
    assert tops(fine, "loss") == [()]


def test_filter_keeps_shapes_at_setup_and_checks_the_selector():
    def selector(shape):
        return layer("sel", "Input", [], "input_param { shape { %s } }"
                     % " ".join(f"dim: {d}" for d in shape), ["sel"])
    good = net(SHAPE, selector((2, 1)), layer("f", "Filter", ["data", "sel"], "", ["f"]))
    assert tops(good, "f") == [(2, 3, 4, 5)]
    wide = net(SHAPE, selector((2, 3)), layer("f", "Filter", ["data", "sel"], "", ["f"]))
    assert error(wide, "f") == ("Check failed: bottom[selector_index]->shape(1) == 1 (3 vs. 1) "
                                "Selector blob dimensions must be singletons (1), except the first")
    other = net(SHAPE, selector((4,)), layer("f", "Filter", ["data", "sel"], "", ["f"]))
    assert error(other, "f") == ("Check failed: bottom[selector_index]->shape(0) == "
                                 "bottom[i]->shape(0) (4 vs. 2) "
                                 "Each bottom should have the same 0th dimension as the selector blob")
