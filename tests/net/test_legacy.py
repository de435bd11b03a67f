"""V1 (``layers`` with enum types) and V0 (nested ``layer {}``) nets read as V2 would."""
from __future__ import annotations

from corpus import REPO
from prototxt_tools.net import Net, learnable_blob_count
from prototxt_tools.syntax import parse

FIXTURES = REPO / "fixtures" / "net"


def _net(name: str) -> Net:
    return Net(parse((FIXTURES / name).read_text()))


def test_v1_types_rules_and_params():
    net = _net("v1_small.prototxt")
    assert net.format == "v1"
    assert [l.type for l in net.layers] == ["Data", "Convolution", "ReLU", "40", "SoftmaxWithLoss"]
    assert [l.raw_type for l in net.layers][:2] == ["DATA", "CONVOLUTION"]
    assert net.layers[0].include[0].phase == "TRAIN"
    rule = net.layers[4].exclude[0]
    assert (rule.phase, rule.stages) == ("TEST", ("deploy",))
    assert net.layers[4].loss_weight == [0.5]
    first, second = net.layers[1].params
    assert (first.name, first.lr_mult, first.decay_mult) == ("conv1_w", 1.0, 1.0)
    assert (second.name, second.lr_mult, second.decay_mult) == ("", 2.0, 0.0)
    assert learnable_blob_count(net.layers[1]) == 1          # bias_term: false
    assert learnable_blob_count(net.layers[3]) is None       # enum 40 is not BVLC


def test_v0_nested_layers():
    net = _net("v0_small.prototxt")
    assert net.format == "v0"
    conv, relu, mystery = net.layers
    assert (conv.name, conv.type, conv.raw_type) == ("conv1", "Convolution", "conv")
    assert (conv.bottoms, conv.tops) == (["data"], ["conv1"])
    assert conv.field.render().startswith("layers {")      # the outer message
    assert conv.node is conv.field.value
    assert conv.body.render().startswith("{\n    name")
    assert (relu.type, mystery.type) == ("ReLU", "frobnicate")
    assert [(p.lr_mult, p.decay_mult) for p in conv.params] == [(1.0, 1.0)]
    assert conv.typed("convolution_param").get("kernelsize") == 3
    assert learnable_blob_count(conv) == 1                  # biasterm: false
    (data,) = net.inputs
    assert (data.name, data.shape) == ("data", (2, 3, 8, 8))


def test_mixed_net_keeps_each_entry_format():
    net = Net(parse('layer { name: "a" type: "ReLU" }\nlayers { name: "b" type: RELU }'))
    assert net.format == "mixed"
    assert [(l.format, l.type) for l in net.layers] == [("v2", "ReLU"), ("v1", "ReLU")]
