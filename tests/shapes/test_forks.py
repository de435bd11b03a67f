"""Shape rules of the common fork layers (shapes/deeplab, segnet, mobilenet, rcnn, ocr).

There is no fork Caffe to use as an oracle (the oracle builds BVLC Caffe only), so every
expected shape below is computed by hand from the fork's formula, written out beside it,
and the corpus tests check what the fork nets themselves imply (SegNet's decoder ends at
the input resolution, PSPNet's Interp output has the crop size its loss compares with).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import CORPUS, require_corpus
from prototxt_tools.api import load
from prototxt_tools.shapes import infer_file

from .helpers import entry, error, layer, net, tops

SEGNET = "files/alexgkendall__SegNet-Tutorial"
PSPNET = "files/soeaver__caffe-model/seg/pspnet/models/pascal_voc/resnet101-v2"
MOBILENET = "files/soeaver__caffe-model/det/faster_rcnn/models/pascal_voc/mobilenet"
RFCN = "files/soeaver__caffe-model/det/rfcn/models/pascal_voc/resnet18"


def interp(params: str, shape=(1, 2, 9, 9)) -> str:
    return net(shape, layer("i", "Interp", "data", f"interp_param {{ {params} }}"))


# --- Interp ---------------------------------------------------------------------
@pytest.mark.parametrize("params, hw", [
    ("shrink_factor: 2", (5, 5)),                     # (9 - 1) / 2 + 1 = 5
    ("shrink_factor: 4", (3, 3)),                     # (9 - 1) / 4 + 1 = 3
    ("zoom_factor: 3", (25, 25)),                     # 9 + (9 - 1) * (3 - 1) = 25
    ("shrink_factor: 2 zoom_factor: 3", (13, 13)),    # shrink: 5, then 5 + 4 * 2 = 13
    ("height: 17 width: 33", (17, 33)),               # given
    ("zoom_factor: 2 pad_beg: -1 pad_end: -1", (13, 13)),  # in_eff = 9 - 2 = 7; 7 + 6 * 1 = 13
    ("zoom_factor: 2 height: 4 width: 4", (17, 17)),  # one factor alone wins over height/width
    ("shrink_factor: 2 zoom_factor: 2 height: 4 width: 4", (4, 4)),  # height/width win over both
])
def test_interp_arithmetic(params, hw):
    assert tops(interp(params), "i") == [(1, 2) + hw]


def test_interp_shrink_truncates_like_cpp():
    # (10 - 1) / 4 + 1 = 2 + 1 = 3 (9 / 4 truncates to 2)
    assert tops(interp("shrink_factor: 4", (1, 2, 10, 7)), "i") == [(1, 2, 3, 2)]   # (7-1)/4+1 = 2


def test_interp_second_bottom_gives_height_and_width():
    text = net((1, 2, 9, 9),
               layer("p", "Pooling", "data", "pooling_param { pool: MAX kernel_size: 3 stride: 3 }"),
               layer("i", "Interp", ["p", "data"]))
    assert tops(text, "i") == [(1, 2, 9, 9)]     # p is 3 x 3; resized to data's 9 x 9


def test_interp_errors():
    assert "Zoom factor must be positive" in error(interp("zoom_factor: 0"), "i")
    assert "Only supports non-pos padding" in error(interp("zoom_factor: 2 pad_beg: 1"), "i")
    # in_eff = 9 - 5 - 4 = 0
    assert "height should be positive" in error(interp("zoom_factor: 2 pad_beg: -5 pad_end: -4"), "i")
    assert "has no output size" in error(interp("height: 5"), "i")       # height without width


# --- Upsample -------------------------------------------------------------------
def unpool(params: str = "", shape=(1, 2, 7, 7), pool="kernel_size: 2 stride: 2") -> str:
    return net(shape, layer("p", "Pooling", "data", f"pooling_param {{ pool: MAX {pool} }}",
                            tops=["p", "mask"]),
               layer("u", "Upsample", ["p", "mask"], f"upsample_param {{ {params} }}" if params else ""))


@pytest.mark.parametrize("params, hw", [
    ("", (8, 8)),                                  # pooled 4 x 4 (ceil of 7/2); 4 * 2 (default scale)
    ("scale: 2 pad_out_h: true", (7, 8)),          # 4 * 2 - 1 = 7 (undoes the ceil); 4 * 2 = 8
    ("scale_h: 2 scale_w: 3", (8, 12)),            # 4 * 2, 4 * 3
    ("upsample_h: 7 upsample_w: 7", (7, 7)),       # given
])
def test_upsample_arithmetic(params, hw):
    assert tops(unpool(params), "u") == [(1, 2) + hw]


def test_upsample_errors():
    message = error(unpool("scale: 3 pad_out_h: true"), "u")
    assert "Output height padding compensation requires scale_h == 2" in message
    assert "scale_h_ > 1" in error(unpool("scale: 1"), "u")
    # The mask of a 3x3 pooling (3 x 3) is not the shape of the values of the 2x2 one (4 x 4).
    text = net((1, 2, 7, 7),
               layer("p", "Pooling", "data", "pooling_param { pool: MAX kernel_size: 2 stride: 2 }",
                     tops=["p", "mask"]),
               layer("q", "Pooling", "data", "pooling_param { pool: MAX kernel_size: 3 stride: 2 }",
                     tops=["q", "qmask"]),
               layer("u", "Upsample", ["p", "qmask"]))
    assert error(text, "u") == "Check failed: bottom[0]->height() == bottom[1]->height() (4 vs. 3)"


# --- BN -------------------------------------------------------------------------
def test_bn_keeps_the_shape_and_learns_scale_and_shift_per_channel():
    found = entry(net((2, 5, 4, 4), layer("bn", "BN", "data", "bn_param { bn_mode: INFERENCE }")), "bn")
    assert found.tops == [(2, 5, 4, 4)]
    assert found.params == [(1, 5, 1, 1), (1, 5, 1, 1)]
    assert found.param_count == 10                # 5 scales + 5 shifts


def test_bn_error():
    assert "num_axes() >= 2" in error(net((6,), layer("bn", "BN", "data")), "bn")


def test_fork_schema_defaults_give_the_same_shapes():
    """With the fork's own caffe.proto the unset fields read its defaults, not None."""
    require_corpus()
    schema = str(CORPUS / "schemas" / "segnet_caffe.proto")
    ptx = load(unpool() + layer("bn", "BN", "u") + "\n", schema=schema)
    result = infer_file(ptx)
    assert result.shape("u") == (1, 2, 8, 8) and result.shape("bn") == (1, 2, 8, 8)


# --- depthwise convolution ------------------------------------------------------
def test_convolution_depthwise_ignores_num_output_and_group():
    # sp2823's conv_dw_layer: one output channel per input channel, whatever num_output/group say.
    text = net((1, 8, 10, 10), layer("dw", "ConvolutionDepthwise", "data",
                                     "convolution_param { num_output: 12 group: 3 kernel_size: 3 "
                                     "stride: 2 pad: 1 }"))
    found = entry(text, "dw")
    assert found.status == "ok"                         # 12 % 8 and 8 % 3 are never checked
    assert found.tops == [(1, 8, 5, 5)]                 # (10 + 2 - 3) / 2 + 1 = 5, C channels
    assert found.params == [(8, 1, 3, 3), (8,)]         # (C, 1, kh, kw) and (C)
    assert found.macs == 8 * 5 * 5 * 1 * 9              # one 3x3 window of one channel per output


def test_convolution_depthwise_without_bias_and_non_square():
    text = net((2, 4, 9, 7), layer("dw", "ConvolutionDepthwise", "data",
                                   "convolution_param { kernel_h: 3 kernel_w: 1 bias_term: false }"))
    found = entry(text, "dw")
    assert found.tops == [(2, 4, 7, 7)] and found.params == [(4, 1, 3, 1)]


def test_convolution_depthwise_is_2d_only():
    text = net((1, 4, 3, 6, 6), layer("dw", "ConvolutionDepthwise", "data",
                                      "convolution_param { kernel_size: 3 }"))
    assert error(text, "dw").startswith("Check failed: num_axes() <= 4 (5 vs. 4) "
                                        "Cannot use legacy accessors on Blobs with > 4 axes.")


def test_depthwise_convolution_is_a_convolution():
    # yonghenglh6's DepthwiseConvolution subclasses BaseConvolutionLayer: num_output and group count.
    text = net((1, 8, 10, 10), layer("dw", "DepthwiseConvolution", "data",
                                     "convolution_param { num_output: 16 group: 8 kernel_size: 3 }"))
    found = entry(text, "dw")
    assert found.tops == [(1, 16, 8, 8)] and found.params == [(16, 1, 3, 3), (16,)]
    text = net((1, 8, 10, 10), layer("dw", "DepthwiseConvolution", "data",
                                     "convolution_param { num_output: 4 kernel_size: 3 }"))
    assert entry(text, "dw").params == [(4, 8, 3, 3), (4,)]   # group unset: 1, a full convolution


def test_depthwise_convolution_error():
    text = net((1, 8, 10, 10), layer("dw", "DepthwiseConvolution", "data",
                                     "convolution_param { num_output: 12 group: 8 kernel_size: 3 }"))
    assert error(text, "dw").startswith("Check failed: num_output_ % group_ == 0 (4 vs. 0)")  # 12 % 8


# --- ROIPooling / PSROIPooling ---------------------------------------------------
def rois(kind: str, params: str, channels: int = 16) -> str:
    head = 'layer { name: "rois" type: "Input" top: "rois" input_param { shape { dim: 300 dim: 5 } } }\n'
    return head + net((1, channels, 38, 50), layer("r", kind, ["data", "rois"], params))


def test_roi_pooling_gives_one_item_per_region():
    text = rois("ROIPooling", "roi_pooling_param { pooled_h: 7 pooled_w: 6 spatial_scale: 0.0625 }")
    assert tops(text, "r") == [(300, 16, 7, 6)]          # (R, C, pooled_h, pooled_w)


def test_psroi_pooling_gives_output_dim_maps_of_group_size_bins():
    text = rois("PSROIPooling", "psroi_pooling_param { output_dim: 4 group_size: 2 spatial_scale: 0.0625 }")
    assert tops(text, "r") == [(300, 4, 2, 2)]           # C = 16 = 4 * 2 * 2


def test_roi_pooling_errors():
    assert "pooled_h must be > 0" in error(rois("ROIPooling", "roi_pooling_param { pooled_w: 6 }"), "r")
    message = error(rois("PSROIPooling", "psroi_pooling_param { output_dim: 4 group_size: 3 }"), "r")
    assert message == ("Check failed: channels_ == output_dim_*group_size_*group_size_ (16 vs. 36) "
                       "input channel number does not match layer parameters")     # 4 * 3 * 3


def smooth_l1(pred=(128, 20), targets=(128, 20), weights=(), tops=None) -> str:
    shapes = {"targets": targets, **{f"w{i}": w for i, w in enumerate(weights)}}
    inputs = "".join(f'layer {{ name: "{n}" type: "Input" top: "{n}" input_param {{ shape {{ '
                     + " ".join(f"dim: {d}" for d in s) + " } } }\n" for n, s in shapes.items())
    return inputs + net(pred, layer("loss", "SmoothL1Loss", ["data", *shapes], tops=tops))


def test_smooth_l1_loss_is_a_scalar_and_rfcns_second_top_is_per_item():
    assert tops(smooth_l1(), "loss") == [()]
    both = smooth_l1((2, 8, 3, 4), (2, 8, 3, 4), tops=["loss", "per_item"])
    assert tops(both, "loss") == [(), (2, 1, 3, 4)]


def test_smooth_l1_loss_boxes_of_another_class_count_abort():
    """Faster R-CNN's bbox_pred 4 x 5 against the roi-data targets of 21 classes."""
    assert error(smooth_l1(targets=(128, 84)), "loss") == \
        "Check failed: bottom[0]->channels() == bottom[1]->channels() (20 vs. 84)"
    assert error(smooth_l1(targets=(64, 20)), "loss").endswith(
        "(128 vs. 64) The data and label should have the same number.")
    assert error(smooth_l1(weights=[(128, 84)]), "loss") == \
        "Check failed: bottom[0]->channels() == bottom[2]->channels() (20 vs. 84)"
    # four bottoms: only Fast R-CNN's layer reads the weights -- not judged
    assert tops(smooth_l1(weights=[(128, 84), (128, 84)]), "loss") == [()]


# --- SSD: DetectionEvaluate -----------------------------------------------------
def evaluate(truth=(1, 1, 3, 8), params="num_classes: 21 background_label_id: 0") -> str:
    dims = " ".join(f"dim: {d}" for d in truth)
    head = f'layer {{ name: "gt" type: "Input" top: "gt" input_param {{ shape {{ {dims} }} }} }}\n'
    return head + net((1, 1, 4, 7), layer("eval", "DetectionEvaluate", ["data", "gt"],
                                          f"detection_evaluate_param {{ {params} }}"))


def test_detection_evaluate_has_a_row_per_positive_class_and_detection():
    assert tops(evaluate(), "eval") == [(1, 1, 20 + 4, 5)]
    assert tops(evaluate(params="num_classes: 5 background_label_id: -1"), "eval") == [(1, 1, 9, 5)]


def test_detection_evaluate_wants_box_rows_for_ground_truth():
    """What a data layer's [N] labels give SSD's evaluation: its CHECK on the label width."""
    assert error(evaluate(truth=(8,)), "eval") == "Check failed: bottom[1]->num() == 1 (8 vs. 1)"
    assert error(evaluate(truth=(1, 1, 3, 4)), "eval") == "Check failed: bottom[1]->width() == 8 (4 vs. 8)"
    assert error(evaluate(params="overlap_threshold: 0.5"), "eval") == \
        "Check failed: detection_evaluate_param.has_num_classes() Must provide num_classes."


# --- caffe_ocr: Transpose, Reverse ----------------------------------------------
def test_transpose_takes_axis_dim_i_to_place_i():
    text = net((2, 3, 4, 5),
               layer("t", "Transpose", "data", "transpose_param { dim: 3 dim: 2 dim: 0 dim: 1 }"))
    assert tops(text, "t") == [(5, 4, 2, 3)]     # (W, H, N, C) = (b[3], b[2], b[0], b[1])


def test_transpose_without_dims_is_unknown_and_with_a_repeated_axis_is_an_error():
    assert entry(net((2, 3), layer("t", "Transpose", "data")), "t").tops == [None]
    repeated = layer("t", "Transpose", "data", "transpose_param { dim: 0 dim: 0 dim: 2 }")
    assert error(net((2, 3, 4), repeated), "t") == \
        "transpose_param.dim [0, 0, 2] is not an order of the 3 axes of bottom[0] (each of 0..2 once)"


def test_reverse_keeps_the_shape():
    def reverse(axis):
        return net((7, 2, 9), layer("r", "Reverse", "data", f"reverse_param {{ axis: {axis} }}"))
    assert tops(reverse(0), "r") == [(7, 2, 9)]
    assert "not an axis" in error(reverse(3), "r")


def test_fork_fields_of_the_wrong_kind_are_findings_not_crashes():
    # Without the fork's schema the value reads raw: a quoted number is named, not defaulted.
    assert error(interp('zoom_factor: "2"'), "i") == "interp_param.zoom_factor must be an integer, not '2'"
    assert error(rois("ROIPooling", "roi_pooling_param { pooled_h: 7.5 pooled_w: 6 }"), "r") == \
        "roi_pooling_param.pooled_h must be an integer, not 7.5"


# --- the fork nets of the corpus ------------------------------------------------
def corpus_net(rel: str, phase: str = "TEST", **given):
    require_corpus()
    return infer_file(load(str(CORPUS / rel)), phase, input_shapes=given or None)


FORK_TYPES = {"Interp", "Upsample", "BN", "ConvolutionDepthwise", "ROIPooling", "PSROIPooling",
              "Transpose", "Reverse"}


def unknown_fork_layers(result):
    return [e.layer.name for e in result.layers if e.layer.type in FORK_TYPES and e.status != "ok"]


@pytest.mark.parametrize("rel", [f"{SEGNET}/Example_Models/segnet_pascal.prototxt",
                                 f"{SEGNET}/Example_Models/bayesian_segnet_camvid.prototxt",
                                 f"{SEGNET}/Example_Models/segnet_basic_camvid.prototxt"])
def test_segnet_decoder_ends_at_the_input_resolution(rel):
    result = corpus_net(rel)
    assert unknown_fork_layers(result) == []
    data = result.shape("data")
    last = [e for e in result.layers if e.layer.type == "Upsample"][-1]
    assert last.tops[0][2:] == data[2:]


def test_segnet_reading_its_images_is_known_once_the_input_is_given():
    result = corpus_net(f"{SEGNET}/Models/segnet_train.prototxt", "TRAIN", data=(4, 3, 360, 480))
    assert unknown_fork_layers(result) == []
    last = [e for e in result.layers if e.layer.type == "Upsample"][-1]
    assert last.tops[0] == (4, 64, 360, 480)


def test_pspnet_interp_output_matches_the_crop_its_loss_compares_with():
    result = corpus_net(f"{PSPNET}/psp_resnet101-v2-merge.prototxt", "TRAIN")
    assert unknown_fork_layers(result) == [] and not result.errors
    assert result.shape("data") == (1, 3, 513, 513)                # ImageSegData crop_size 513
    assert result.shape("score_map_interp") == (1, 21, 513, 513)   # Interp height: 513 width: 513


@pytest.mark.parametrize("rel, blob, shape", [
    (f"{MOBILENET}/rpn_rcnn_deploys/rcnn_deploy_faster_voc_mobilenet-dw.prototxt", "conv6/dw",
     (300, 1024, 7, 7)),
    (f"{RFCN}/rpn_rcnn_deploys/rcnn_deploy_rfcn_voc_resnet18-priv-merge.prototxt", "psroipooled_loc_rois",
     (300, 8, 7, 7)),
])
def test_detection_heads_are_known(rel, blob, shape):
    result = corpus_net(rel)
    assert unknown_fork_layers(result) == [] and not result.errors
    assert result.shape(blob) == shape


def test_ocr_transpose_before_the_recurrent_part_is_known():
    result = corpus_net("files/senlinuc__caffe_ocr/examples/ocr/inception-bn/deploy.prototxt")
    transposes = [e for e in result.layers if e.layer.type == "Transpose"]
    assert transposes and all(e.status == "ok" for e in transposes)


def test_corpus_paths_exist():
    require_corpus()
    for rel in (SEGNET, PSPNET, MOBILENET, RFCN):
        assert Path(CORPUS / rel).is_dir(), rel
