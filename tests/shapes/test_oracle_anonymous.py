"""Caffe's anonymous tops: a loss layer written without ``top:`` gets one, "(automatic)".

Checked against real Caffe: the blob exists (a scalar), it is no net output, and ptx's
shapes list it for that layer while its graph's outputs leave it out, as Caffe does.
"""
from __future__ import annotations

import pytest

from prototxt_tools.api import load
from prototxt_tools.caffe.check import check_net
from prototxt_tools.shapes import infer_file
from prototxt_tools.shapes.infer import ANONYMOUS_TOP

pytestmark = pytest.mark.oracle

HEAD = '''layer { name: "data" type: "Input" top: "data" top: "label"
  input_param { shape { dim: 2 dim: 3 } shape { dim: 2 } } }
layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip" inner_product_param { num_output: 4 } }
'''
NETS = {
    "softmax loss without top": HEAD + 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }\n',
    "two losses without tops": HEAD + (
        'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" }\n'
        'layer { name: "l2" type: "EuclideanLoss" bottom: "ip" bottom: "ip" }\n'),
    "loss with its top": HEAD + 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" }\n',
}


@pytest.mark.parametrize("name", sorted(NETS))
def test_anonymous_tops_as_caffe_makes_them(pycaffe, tmp_path, name):
    path = tmp_path / "net.prototxt"
    path.write_text(NETS[name])
    caffe = check_net(str(path))
    assert caffe.fatal is None
    ptx = infer_file(load(str(path)), "TRAIN")
    anonymous = [t for entry in ptx.layers for t in entry.anonymous_tops]
    caffe_blobs = dict(caffe.blobs)
    if ANONYMOUS_TOP in caffe_blobs:
        assert anonymous and anonymous[-1] == caffe_blobs[ANONYMOUS_TOP]
    else:
        assert anonymous == []
    graph = load(str(path)).graph("TRAIN")
    assert sorted(blob.name for blob in graph.outputs) == sorted(caffe.outputs)
