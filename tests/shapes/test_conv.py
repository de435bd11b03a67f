"""Convolution, Deconvolution and Pooling at the edges of Caffe's arithmetic."""
from __future__ import annotations

import pytest

from prototxt_tools.shapes import cdiv

from .helpers import entry, error, layer, net, tops


def conv(params: str, shape=(1, 3, 7, 7), kind: str = "Convolution") -> str:
    return net(shape, layer("c", kind, "data", f"convolution_param {{ {params} }}"))


def pool(params: str, shape=(1, 3, 7, 7)) -> str:
    return net(shape, layer("p", "Pooling", "data", f"pooling_param {{ {params} }}"))


@pytest.mark.parametrize("a, b, expected", [(7, 2, 3), (-7, 2, -3), (-1, 2, 0), (7, -2, -3), (0, 3, 0)])
def test_cdiv_truncates_toward_zero(a, b, expected):
    assert cdiv(a, b) == expected


def test_conv_odd_size_with_stride_truncates():
    assert tops(conv("num_output: 4 kernel_size: 3 stride: 2"), "c") == [(1, 4, 3, 3)]
    assert tops(conv("num_output: 4 kernel_size: 3 stride: 2 pad: 1"), "c") == [(1, 4, 4, 4)]


def test_kernel_larger_than_input_truncates_to_one_output_not_python_floor():
    # (5 - 6) / 2 + 1 = 0 + 1 in C++ (Python's // would give -1 + 1): Caffe silently makes 1 pixel.
    assert tops(conv("num_output: 2 kernel_size: 6 stride: 2", (1, 3, 5, 5)), "c") == [(1, 2, 1, 1)]


def test_kernel_much_larger_than_input_fails_blob_reshape():
    message = error(conv("num_output: 2 kernel_size: 9", (1, 3, 5, 5)), "c")
    assert message == "Check failed: shape[i] >= 0 (-3 vs. 0)"


def test_dilation_and_rectangular_kernel():
    assert tops(conv("num_output: 2 kernel_size: 3 dilation: 2"), "c") == [(1, 2, 3, 3)]
    assert tops(conv("num_output: 2 kernel_h: 3 kernel_w: 1 pad_w: 2"), "c") == [(1, 2, 5, 11)]
    assert tops(conv("num_output: 2 kernel_size: 3 kernel_size: 1"), "c") == [(1, 2, 5, 7)]


def test_groups_shape_the_weights_and_macs():
    found = entry(conv("num_output: 6 kernel_size: 3 group: 3", (1, 3, 7, 7)), "c")
    assert found.params == [(6, 1, 3, 3), (6,)]
    assert found.macs == 6 * 5 * 5 * 1 * 9


def test_group_must_divide_outputs_with_caffes_message():
    message = error(conv("num_output: 4 kernel_size: 3 group: 3", (1, 3, 7, 7)), "c")
    assert message == ("Check failed: num_output_ % group_ == 0 (1 vs. 0) "
                       "Number of output should be multiples of group.")


def test_missing_kernel_size_is_zero_times():
    assert error(conv("num_output: 4"), "c") == (
        "Check failed: num_kernel_dims == 1 || num_kernel_dims == num_spatial_axes_ kernel_size must "
        "be specified once, or once per spatial dimension (kernel_size specified 0 times; 2 spatial dims).")


def test_missing_num_output_and_bias_term():
    assert error(conv("kernel_size: 3"), "c") == "Check failed: num_output_ > 0 (0 vs. 0)"
    assert entry(conv("num_output: 2 kernel_size: 3 bias_term: false"), "c").params == [(2, 3, 3, 3)]


def test_negative_and_out_of_range_axis():
    assert tops(conv("num_output: 2 kernel_size: 3 axis: -3"), "c") == [(1, 2, 5, 5)]
    assert error(conv("num_output: 2 kernel_size: 3 axis: 4"), "c") == (
        "Check failed: axis_index < num_axes() (4 vs. 4) axis 4 out of range for 4-D Blob "
        "with shape 1 3 7 7 (147)")


def test_deconvolution_shapes_and_weights():
    found = entry(conv("num_output: 4 kernel_size: 4 stride: 2 pad: 1 group: 2", (1, 6, 5, 5),
                       "Deconvolution"), "c")
    assert found.tops == [(1, 4, 10, 10)]
    assert found.params == [(6, 2, 4, 4), (4,)]


def test_pool_ceil_vs_floor():
    assert tops(pool("kernel_size: 2 stride: 2"), "p") == [(1, 3, 4, 4)]
    assert tops(pool("kernel_size: 2 stride: 2 round_mode: FLOOR"), "p") == [(1, 3, 3, 3)]


def test_pool_pad_clip_drops_window_starting_in_padding():
    # H=6, k=2, s=2, pad=1: ceil((6+2-2)/2)+1 = 4, and (4-1)*2 = 6 >= 6+1? no -> 4 stays;
    # H=5, k=3, s=2, pad=1: ceil((5+2-3)/2)+1 = 3; (3-1)*2=4 < 6 -> 3.
    assert tops(pool("kernel_size: 2 stride: 2 pad: 1", (1, 1, 6, 6)), "p") == [(1, 1, 4, 4)]
    # H=4, k=3, s=3, pad=2: ceil((4+4-3)/3)+1 = 3; (3-1)*3 = 6 >= 4+2 -> clipped to 2.
    assert tops(pool("kernel_size: 3 stride: 3 pad: 2", (1, 1, 4, 4)), "p") == [(1, 1, 2, 2)]


def test_pool_clip_only_with_padding():
    # H=4, k=1, s=4: ceil(3/4)+1 = 2 and (2-1)*4 >= 4, but without padding Caffe keeps the
    # window (netscope-style tools clip it anyway).
    assert tops(pool("kernel_size: 1 stride: 4", (1, 1, 4, 4)), "p") == [(1, 1, 2, 2)]


def test_global_pooling_and_its_checks():
    assert tops(pool("pool: AVE global_pooling: true"), "p") == [(1, 3, 1, 1)]
    assert error(pool("global_pooling: true kernel_size: 2"), "p").endswith(
        "With Global_pooling: true Filter size cannot specified")


def test_pool_needs_four_axes_and_pad_below_kernel():
    assert error(pool("kernel_size: 2", (1, 3, 7)), "p") == (
        "Check failed: 4 == bottom[0]->num_axes() (4 vs. 3) Input must have 4 axes, "
        "corresponding to (num, channels, height, width)")
    assert error(pool("kernel_size: 2 pad: 2"), "p") == "Check failed: pad_h_ < kernel_h_ (2 vs. 2)"
