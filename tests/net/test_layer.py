"""The V2 layer view: fields as written, rules, param specs, typed params, blob counts."""
from __future__ import annotations

import pytest

from prototxt_tools.net import Net, learnable_blob_count
from prototxt_tools.schema import load_schema
from prototxt_tools.syntax import Scalar, parse

LAYER = '''
layer {
  name: "conv1"  type: "Convolution"
  bottom: "data" top: "conv1"
  phase: TEST
  param { lr_mult: 0 name: "w" share_mode: PERMISSIVE }
  param { decay_mult: 0 }
  propagate_down: false
  loss_weight: 2
  include { phase: TRAIN min_level: 1 max_level: 3 stage: "a" stage: "b" not_stage: "c" }
  convolution_param { num_output: 8 kernel_size: [3, 5] pad: 1 bias_term: false
                      weight_filler { type: "xavier" } }
}
'''


@pytest.fixture
def layer():
    return Net(parse(LAYER)).layers[0]


def test_plain_fields(layer):
    assert (layer.name, layer.type, layer.raw_type, layer.format) == (
        "conv1", "Convolution", "Convolution", "v2")
    assert (layer.bottoms, layer.tops, layer.index) == (["data"], ["conv1"], 0)
    assert (layer.phase, layer.propagate_down, layer.loss_weight) == ("TEST", [False], [2.0])
    assert layer.field.render().startswith("layer {") and layer.node is layer.field.value
    assert layer.bottom_nodes[0].raw == '"data"'


def test_rules(layer):
    (rule,) = layer.include
    assert (rule.phase, rule.min_level, rule.max_level) == ("TRAIN", 1, 3)
    assert (rule.stages, rule.not_stages) == (("a", "b"), ("c",))
    assert layer.exclude == []


def test_param_specs_fill_caffe_defaults(layer):
    first, second = layer.params
    assert (first.name, first.lr_mult, first.decay_mult, first.share_mode) == (
        "w", 0.0, 1.0, "PERMISSIVE")
    assert (second.name, second.lr_mult, second.decay_mult, second.share_mode) == (
        "", 1.0, 0.0, "STRICT")
    assert first.is_set("lr_mult") and not first.is_set("decay_mult")
    assert second.node.line == 7


def test_typed_without_schema_gives_raw_written_values(layer):
    conv = layer.typed("convolution_param")
    assert conv.get("num_output") == 8
    assert conv.get("bias_term") == "false"          # identifier text, no schema to type it
    assert conv.get("kernel_size") == 5               # singular reading: last value
    assert conv.get_all("kernel_size") == [3, 5]
    assert conv.get("stride") is None and not conv.is_set("stride")
    assert conv.get("weight_filler").get("type") == "xavier"


def test_typed_with_schema_gives_defaults_and_lists():
    layer = Net(parse(LAYER), load_schema()).layers[0]
    conv = layer.typed("convolution_param")
    assert conv.get("kernel_size") == [3, 5]
    assert conv.get("pad") == [1]
    assert conv.get("stride") == []
    assert conv.get("bias_term") is False
    assert conv.get("group") == 1
    assert conv.get("bias_filler").get("type") == "constant"
    pool = layer.typed("pooling_param")              # absent block: all defaults
    assert pool.node is None and pool.get("pool") == "MAX"


def _count(text: str, schema=None):
    return learnable_blob_count(Net(parse(text), schema).layers[0])


@pytest.mark.parametrize("schema", [None, "bundled"])
@pytest.mark.parametrize("text, count", [
    ('layer { type: "Convolution" }', 2),
    ('layer { type: "Deconvolution" convolution_param { bias_term: false } }', 1),
    ('layer { type: "InnerProduct" inner_product_param { bias_term: 0 } }', 1),
    ('layer { type: "Embed" }', 2),
    ('layer { type: "BatchNorm" }', 3),
    ('layer { type: "Scale" bottom: "a" }', 1),
    ('layer { type: "Scale" bottom: "a" scale_param { bias_term: true } }', 2),
    ('layer { type: "Scale" bottom: "a" bottom: "b" }', 0),
    ('layer { type: "Bias" bottom: "a" }', 1),
    ('layer { type: "Bias" bottom: "a" bottom: "b" }', 0),
    ('layer { type: "PReLU" }', 1),
    ('layer { type: "Parameter" }', 1),
    ('layer { type: "Normalize" }', 1),
    ('layer { type: "LSTM" bottom: "x" bottom: "c" }', 3),
    ('layer { type: "LSTM" bottom: "x" bottom: "c" bottom: "s" }', 4),
    ('layer { type: "LSTM" bottom: "x" bottom: "c" bottom: "h" bottom: "c0" '
     'recurrent_param { expose_hidden: true } }', 3),
    ('layer { type: "RNN" bottom: "x" bottom: "c" bottom: "s" }', 6),
    ('layer { type: "ReLU" }', 0),
    ('layer { type: "Python" }', None),
    ('layer { type: "PriorBox" }', None),
])
def test_learnable_blob_count(text, count, schema):
    assert _count(text, load_schema() if schema else None) == count


def test_float_words_read_as_protobuf_does():
    text = 'layer { name: "l" loss_weight: -inf loss_weight: NaN loss_weight: Infinity loss_weight: big }'
    weights = Net(parse(text)).layers[0].loss_weight
    assert weights[0] == float("-inf") and weights[1] != weights[1]
    assert weights[2:] == [float("inf"), "big"]


def test_bool_words_read_as_protobuf_does():
    text = ('layer { name: "l" propagate_down: t propagate_down: 1 propagate_down: False '
            'propagate_down: TRUE }')
    assert Net(parse(text)).layers[0].propagate_down == [True, True, False, "TRUE"]


def test_one_field_walk_reads_as_message_values():
    """bottoms/tops/type come from one walk over the fields: same order, ``[a, b]``
    lists flattened, non-scalar values skipped, the last ``type`` wins, as
    ``Message.values``/``scalar`` read them."""
    text = ('layer { type: "Old" top: ["a", "b"] bottom: "x" bottom: { } top: "c"\n'
            '        bottom: ["y"] type: "ReLU" }')
    layer = Net(parse(text)).layers[0]
    node = layer.node
    assert layer.bottoms == ["x", "y"] and layer.tops == ["a", "b", "c"]
    assert layer.bottom_nodes == [n for n in node.values("bottom") if isinstance(n, Scalar)]
    assert layer.top_nodes == node.values("top")
    assert (layer.type, layer.raw_type) == ("ReLU", node.scalar("type"))
    assert layer.has_rules is False and layer.include == [] and layer.exclude == []


def test_has_rules_is_any_include_or_exclude_field():
    net = Net(parse('layer { name: "a" include { phase: TRAIN } }\n'
                    'layer { name: "b" exclude { stage: "s" } }\nlayer { name: "c" }'))
    assert [layer.has_rules for layer in net.layers] == [True, True, False]
