"""On V2 corpus nets that protobuf accepts with our schema, the view agrees with text_format."""
from __future__ import annotations

import struct

import pytest

from corpus import params
from prototxt_tools.net import Net
from prototxt_tools.syntax import ParseError, parse


@pytest.fixture(scope="module")
def classes():
    from prototxt_tools.schema import descriptor_pool_for
    return descriptor_pool_for()


def _enum_name(message, field: str) -> str:
    enum = message.DESCRIPTOR.fields_by_name[field].enum_type
    return enum.values_by_number[getattr(message, field)].name


def _rule(proto_rule) -> tuple:
    return (_enum_name(proto_rule, "phase") if proto_rule.HasField("phase") else None,
            proto_rule.min_level if proto_rule.HasField("min_level") else None,
            proto_rule.max_level if proto_rule.HasField("max_level") else None,
            tuple(proto_rule.stage), tuple(proto_rule.not_stage))


def _proto_layer(layer) -> tuple:
    return (layer.name, layer.type, list(layer.bottom), list(layer.top),
            [_rule(r) for r in layer.include], [_rule(r) for r in layer.exclude],
            [(p.name, p.lr_mult, p.decay_mult, _enum_name(p, "share_mode")) for p in layer.param],
            list(layer.propagate_down), list(layer.loss_weight))


def _f32(value: float) -> float:
    """protobuf keeps ``float`` fields in 32 bits; round the view's value the same way."""
    return struct.unpack("f", struct.pack("f", value))[0]


def _view_layer(layer) -> tuple:
    rule = lambda r: (r.phase, r.min_level, r.max_level, r.stages, r.not_stages)  # noqa: E731
    return (layer.name, layer.type, layer.bottoms, layer.tops,
            [rule(r) for r in layer.include], [rule(r) for r in layer.exclude],
            [(p.name, _f32(p.lr_mult), _f32(p.decay_mult), p.share_mode) for p in layer.params],
            layer.propagate_down, [_f32(w) for w in layer.loss_weight])


def _parse_both(corpus_file, classes):
    from google.protobuf import text_format
    text = corpus_file.path.read_text(encoding="utf-8", errors="replace")
    try:
        doc = parse(text)
        proto = classes.parse_text("caffe.NetParameter", text)
    except (ParseError, text_format.ParseError) as exc:
        pytest.skip(f"not accepted by the BVLC schema: {str(exc)[:120]}")
    return Net(doc), proto


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net", formats=("v2",)), indirect=True)
def test_view_matches_text_format(corpus_file, classes):
    net, proto = _parse_both(corpus_file, classes)
    assert net.name == proto.name
    assert [(i.name, i.shape) for i in net.inputs][:len(proto.input_shape)] == [
        (n, tuple(s.dim)) for n, s in zip(proto.input, proto.input_shape)]
    assert [_view_layer(l) for l in net.layers] == [_proto_layer(l) for l in proto.layer]


def _proto_v1_layer(layer) -> tuple:
    count = max(len(layer.param), len(layer.blobs_lr), len(layer.weight_decay))
    lr = list(layer.blobs_lr) + [1.0] * (count - len(layer.blobs_lr))
    decay = list(layer.weight_decay) + [1.0] * (count - len(layer.weight_decay))
    names = list(layer.param) + [""] * (count - len(layer.param))
    return (layer.name, _enum_name(layer, "type"), list(layer.bottom), list(layer.top),
            [_rule(r) for r in layer.include], [_rule(r) for r in layer.exclude],
            list(zip(names, lr, decay)))


def _view_v1_layer(layer) -> tuple:
    rule = lambda r: (r.phase, r.min_level, r.max_level, r.stages, r.not_stages)  # noqa: E731
    return (layer.name, layer.raw_type, layer.bottoms, layer.tops,
            [rule(r) for r in layer.include], [rule(r) for r in layer.exclude],
            [(p.name, _f32(p.lr_mult), _f32(p.decay_mult)) for p in layer.params])


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net", formats=("v1",)), indirect=True)
def test_v1_view_matches_text_format(corpus_file, classes):
    """V1 ``layers``: enum types and parallel blobs_lr/weight_decay/param lists, per index."""
    net, proto = _parse_both(corpus_file, classes)
    assert [_view_v1_layer(l) for l in net.layers] == [_proto_v1_layer(l) for l in proto.layers]
