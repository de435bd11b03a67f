"""Partial shapes: checks that known dimensions settle, below layers ptx cannot size."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.errors import PtxError
from prototxt_tools.shapes import infer_shapes
from prototxt_tools.shapes.core import dims_text
from prototxt_tools.shapes.partial import merge_messages

PYTHON = 'layer { name: "data" type: "Python" top: "data" top: "label" python_param { module: "m" layer: "L" } }\n'
FUSED = PYTHON + '''layer { name: "a" type: "Convolution" bottom: "data" top: "a" convolution_param { num_output: 21 kernel_size: 1 } }
layer { name: "b" type: "Convolution" bottom: "data" top: "b" convolution_param { num_output: B kernel_size: 1 } }
layer { name: "up" type: "Deconvolution" bottom: "b" top: "up" param { lr_mult: 0 }
  convolution_param { num_output: B kernel_size: 4 stride: 2 bias_term: false } }
layer { name: "c" type: "Crop" bottom: "up" bottom: "a" top: "c" crop_param { axis: 2 offset: 1 } }
layer { name: "fuse" type: "Eltwise" bottom: "a" bottom: "c" top: "fuse" }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fuse" bottom: "label" top: "loss" }
'''


def _entries(text):
    result = infer_shapes(prototxt_tools.load(text).graph("TRAIN"))
    return result, {e.layer.name: e for e in result.layers}


def test_channels_flow_and_fusion_is_checked():
    result, entries = _entries(FUSED.replace("B", "21"))
    assert dims_text(result.known_part("fuse")) == "?x21x?x?"
    assert entries["fuse"].checked and entries["fuse"].status != "error"
    assert entries["up"].params == [(21, 21, 4, 4)] and entries["up"].params_known


def test_channel_mismatch_below_a_python_layer_is_an_error():
    _, entries = _entries(FUSED.replace("B", "5"))
    fuse = entries["fuse"]
    assert fuse.status == "error"
    assert "bottom[0]: ? 21 ? ? (?), bottom[1]: ? 5 ? ? (?)" in fuse.error.message


def test_edit_that_breaks_known_channels_is_refused():
    text = FUSED.replace("B", "21")
    with pytest.raises(PtxError, match="new shape error.*layer 'fuse'.*\\? 5 \\?"):
        prototxt_tools.edit(text, [("num_output", {"layer": "b", "n": 5}),
                                   ("num_output", {"layer": "up", "n": 5})])
    # the right edit (every score layer and the upsampling) passes
    out = prototxt_tools.edit(text, [("replace_head", {"n": 5})])
    assert "fuse" not in " ".join(out.changes)


def test_data_without_database_keeps_its_crop_and_a_pooling_to_nothing_is_found():
    text = ('layer { name: "data" type: "Data" top: "data" top: "label"\n'
            '  transform_param { crop_size: 31 } data_param { source: "absent_lmdb" batch_size: 8 } }\n'
            'layer { name: "pool" type: "Pooling" bottom: "data" top: "pool"\n'
            '  pooling_param { pool: MAX kernel_size: 40 stride: 1 } }\n')
    result, entries = _entries(text)
    assert tuple(result.known_part("data"))[2:] == (31, 31)
    assert entries["pool"].status == "error"


def test_inner_product_params_need_every_dimension():
    text = PYTHON + ('layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" '
                     'convolution_param { num_output: 8 kernel_size: 1 } }\n'
                     'layer { name: "fc" type: "InnerProduct" bottom: "conv" top: "fc" '
                     'inner_product_param { num_output: 7 } }\n')
    result, entries = _entries(text)
    assert not entries["fc"].params_known
    assert dims_text(result.known_part("fc")) == "?x7"


def test_reshape_divisibility_is_not_judged_from_probes():
    text = PYTHON + ('layer { name: "r" type: "Reshape" bottom: "data" top: "r" '
                     'reshape_param { shape { dim: 0 dim: 18 dim: -1 dim: 0 } } }\n')
    _, entries = _entries(text)
    assert entries["r"].status != "error"


def test_messages_merge_probe_numbers_into_question_marks():
    assert merge_messages("a 1 21 64 64 (86016)", "a 2 21 67 67 (188538)") == "a ? 21 ? ? (?)"


def test_tops_with_nothing_unknown_left_are_full_shapes_below():
    """ROI pooling of an image of unknown size: R x C x 7 x 7 whatever the size.  The layers
    below get full shapes (and full checks); the pooling itself stays judged in part, and a
    loss whose inputs keep unknowns is not promoted by its scalar top."""
    text = PYTHON + '''layer { name: "rois" type: "Input" top: "rois" input_param { shape { dim: 4 dim: 5 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv" convolution_param { num_output: 8 kernel_size: 3 } }
layer { name: "pool" type: "ROIPooling" bottom: "conv" bottom: "rois" top: "pool"
  roi_pooling_param { pooled_h: 7 pooled_w: 7 spatial_scale: 0.0625 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool" top: "fc" inner_product_param { num_output: 5 } }
layer { name: "map_loss" type: "EuclideanLoss" bottom: "conv" bottom: "conv" top: "map_loss" }
'''
    result, entries = _entries(text)
    assert entries["pool"].tops == [(4, 8, 7, 7)] and entries["pool"].status == "unknown-input"
    assert entries["fc"].status == "ok" and entries["fc"].params == [(5, 392), (5,)]
    assert entries["map_loss"].status == "unknown-input"
