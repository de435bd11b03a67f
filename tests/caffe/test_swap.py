"""Data-layer swapping and shape derivation, checked on the text alone (no Caffe needed)."""
from __future__ import annotations

import pytest

from prototxt_tools.weights import scan_caffemodel
from prototxt_tools.caffe.datashapes import parse_shape_option
from prototxt_tools.caffe.swap import plan_swaps, swapped_text
from prototxt_tools.errors import PtxError
from prototxt_tools.net import Net
from prototxt_tools.syntax import parse

V2 = """layer {  # images
  name: "img" type: "ImageData" top: "data" top: "label"
  image_data_param { source: "list.txt" batch_size: 5 new_height: 30 new_width: 40 is_color: false }
  include { phase: TRAIN }
}
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" }
"""
V1 = """layers { name: "d" type: MEMORY_DATA top: "data" top: "label"
  memory_data_param { batch_size: 2 channels: 3 height: 4 width: 5 } }
"""
V0 = """layers { layer { name: "d" type: "data" batchsize: 7 cropsize: 9 } top: "data" top: "label" }
"""


def swap(text, given=None, **kwargs):
    doc = parse(text)
    plans = plan_swaps(Net(doc), "net.prototxt", given or {}, **kwargs)
    return plans, parse(swapped_text(doc, plans))


def test_v2_becomes_input_keeping_rules_and_line_count():
    plans, new = swap(V2)
    assert plans[0].shapes == [("data", (5, 1, 30, 40)), ("label", (5,))]
    assert plans[0].labels == ["label"]
    layer = new.messages("layer")[0]
    assert layer.scalar("type") == "Input" and layer.scalars("top") == ["data", "label"]
    assert layer.message("include").scalar("phase") == "TRAIN"
    assert new.text.count("\n") == V2.count("\n")
    assert new.messages("layer")[1].line == parse(V2).messages("layer")[1].line


def test_v1_becomes_dummy_data_and_v0_becomes_net_inputs():
    plans, new = swap(V1)
    assert plans[0].shapes[0] == ("data", (2, 3, 4, 5))
    assert new.messages("layers")[0].scalar("type") == "DUMMY_DATA"
    plans, new = swap(V0)
    assert new.scalars("input") == ["data", "label"]
    assert new.scalars("input_dim") == [7, 3, 9, 9, 7, 1, 1, 1]
    assert "3 channels assumed for 'data'" in plans[0].assumed


TWO_PHASES = V2 + """layer { name: "val" type: "Data" top: "data" top: "label"
  data_param { source: "val_lmdb" batch_size: 3 } transform_param { crop_size: 8 }
  include { phase: TEST } }
"""


def test_without_the_input_layer_v2_data_layers_become_net_inputs_same_lines():
    """For a Caffe older than the Input layer: net-level input_shape inputs; the data layer
    of the other phase is dropped (net inputs have no phase rules), lines kept."""
    doc = parse(TWO_PHASES)
    plans = plan_swaps(Net(doc), "net.prototxt", {}, included={0, 1})
    new = parse(swapped_text(doc, plans, net_inputs=True))
    assert new.scalars("input") == ["data", "label"]
    shapes = [[int(d) for d in m.scalars("dim")] for m in new.messages("input_shape")]
    assert shapes == [[5, 1, 30, 40], [5]]
    assert [m.scalar("name") for m in new.messages("layer")] == ["ip"]
    assert new.text.count("\n") == TWO_PHASES.count("\n")
    assert new.messages("layer")[0].line == parse(TWO_PHASES).messages("layer")[1].line


def test_net_inputs_follow_the_nets_own_input_dim_style():
    text = 'input: "extra" input_dim: 1 input_dim: 2 input_dim: 3 input_dim: 4\n' + V2
    doc = parse(text)
    new = parse(swapped_text(doc, plan_swaps(Net(doc), "n", {}), net_inputs=True))
    assert new.scalars("input") == ["extra", "data", "label"]
    assert new.scalars("input_dim")[4:] == [5, 1, 30, 40, 5, 1, 1, 1]
    assert not new.messages("input_shape")


def test_user_shape_wins_and_batch_cap():
    plans, _ = swap(V2, {"data": (1, 3, 8, 8)})
    assert plans[0].shapes == [("data", (1, 3, 8, 8)), ("label", (1,))]
    plans, _ = swap(V2, max_batch=2)
    assert plans[0].shapes[0][1][0] == 2


def test_unknown_shape_names_the_layer_or_uses_fallback():
    text = 'name: "n"\nlayer { name: "py" type: "Python" top: "x" }\n'
    with pytest.raises(PtxError) as info:
        swap(text)
    assert (info.value.path, info.value.line) == ("net.prototxt", 2)
    assert "Python layer" in info.value.message and "--input-shape x=" in info.value.message
    plans, _ = swap(text, fallback=(1, 3, 16, 16))
    assert plans[0].shapes == [("x", (1, 3, 16, 16))]


@pytest.mark.parametrize("bad", ["data", "data=", "=1,2", "data=1,a", "data=0,3"])
def test_bad_input_shape_option(bad):
    with pytest.raises(PtxError):
        parse_shape_option(bad)


def test_caffemodel_reader_rejects_garbage(tmp_path):
    path = tmp_path / "x.caffemodel"
    path.write_bytes(b"\xff\xff\xff")
    with pytest.raises(PtxError):
        scan_caffemodel(str(path)).layers


@pytest.mark.parametrize("text", ["data=1,,3", "data=", "=1,3", "data=1,0,3", "data=a,b"])
def test_bad_shape_options_are_refused(text):
    from prototxt_tools.caffe.datashapes import parse_shape_option
    with pytest.raises(PtxError):
        parse_shape_option(text)


def test_edit_and_check_read_shapes_alike():
    from prototxt_tools.caffe.datashapes import parse_dims, parse_shape_option
    assert parse_shape_option("data=1x3x8x8") == ("data", parse_dims("1,3,8,8")) == ("data", (1, 3, 8, 8))


DENSE = """layer { name: "data" type: "DenseImageData" top: "data" top: "label"
  dense_image_data_param { source: "train.txt" batch_size: 4 crop_height: 36 crop_width: 48 } }
"""
SEG = """layer { name: "data" type: "ImageSegData" top: "data" top: "label" top: "data_dim"
  transform_param { crop_size: 17 mean_value: 1 mean_value: 2 mean_value: 3 }
  image_data_param { source: "train.txt" batch_size: 2 label_type: PIXEL } }
"""
PIXEL = """layer { name: "data" type: "MySegData" top: "data" top: "label"
  my_param { batch_size: 3 crop_size: 9 label_type: PIXEL } }
"""


def test_segmentation_data_layers_give_one_label_per_pixel():
    """SegNet's DenseImageData and DeepLab's ImageSegData label every pixel: a label top of
    N would make Caffe's SoftmaxWithLoss abort ("Number of labels must match")."""
    plans, _ = swap(DENSE)
    assert plans[0].shapes == [("data", (4, 3, 36, 48)), ("label", (4, 1, 36, 48))]
    plans, _ = swap(DENSE, {"data": (1, 3, 360, 480)})
    assert plans[0].shapes[1] == ("label", (1, 1, 360, 480))
    plans, _ = swap(SEG)
    assert plans[0].shapes == [("data", (2, 3, 17, 17)), ("label", (2, 1, 17, 17)),
                               ("data_dim", (2, 1, 1, 2))]
    plans, _ = swap(PIXEL)
    assert plans[0].shapes[1] == ("label", (3, 1, 9, 9))
    plans, _ = swap(V2)      # a classification ImageData keeps one label per image
    assert plans[0].shapes[1] == ("label", (5,))


def test_without_the_input_layer_a_python_stand_in_gives_net_inputs():
    from prototxt_tools.caffe.standins import SILENCE_SUFFIX, StandIn
    text = V2 + ('layer { name: "prop" type: "Python" bottom: "ip" top: "rois"\n'
                 '  python_param { module: "m" layer: "L" } }\n')
    doc = parse(text)
    net = Net(doc)
    stand_in = StandIn(net.layers[2], [("rois", (4, 5))])
    new = parse(swapped_text(doc, [], [stand_in], net_inputs=True))
    assert new.scalars("input") == ["rois"]
    assert [int(d) for d in new.message("input_shape").scalars("dim")] == [4, 5]
    silence = new.messages("layer")[2]
    assert silence.scalar("type") == "Silence" and silence.scalar("name") == "prop" + SILENCE_SUFFIX
    assert new.text.count("\n") == text.count("\n")
