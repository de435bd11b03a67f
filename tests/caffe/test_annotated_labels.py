"""SSD's AnnotatedData swapped for Input: its labels are box rows (1 x 1 x G x 8), not [N]."""
from __future__ import annotations

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.caffe.datashapes import data_layer_shapes
from prototxt_tools.shapes import infer_shapes

SSD = "files/chuanqi305__MobileNet-SSD/voc/"


def test_annotated_data_labels_are_box_rows_and_the_images_keep_the_batch():
    require_corpus()
    for name, batch in (("MobileNetSSD_test.prototxt", 8), ("MobileNetSSD_train.prototxt", 24)):
        ptx = prototxt_tools.load((CORPUS / SSD / name).read_text(encoding="utf-8"))
        layer = next(x for x in ptx.net.layers if x.type == "AnnotatedData")
        plan = data_layer_shapes(layer, {})
        assert plan.shapes == [("data", (batch, 3, 300, 300)), ("label", (1, 1, 1, 8))], name
        assert plan.labels == ["label"]


def test_other_readers_keep_one_label_per_image():
    text = ('layer { name: "d" type: "Data" top: "data" top: "label" '
            'data_param { batch_size: 4 } transform_param { crop_size: 8 } }')
    graph = prototxt_tools.load(text).graph("TRAIN")
    assert infer_shapes(graph).shape("label") == (4,)
