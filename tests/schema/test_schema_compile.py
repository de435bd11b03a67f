"""Compiling .proto files: fork schemas, the cache, compiler errors, protobuf classes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus import CORPUS, REPO, require_corpus
from prototxt_tools.errors import PtxError
from prototxt_tools.schema import descriptor_pool_for, load_schema
from prototxt_tools.schema.compile import cache_dir, compile_schema

FORKS = {  # fork schema -> (message, field) it adds to BVLC's
    "ssd": [("caffe.LayerParameter", "norm_param"), ("caffe.LayerParameter", "prior_box_param")],
    "segnet": [("caffe.LayerParameter", "bn_param"), ("caffe.LayerParameter", "upsample_param")],
    "deeplab_context": [("caffe.LayerParameter", "interp_param"),
                        ("caffe.ConvolutionParameter", "hole")],
    "hed": [],
    "crnn": [("caffe.LayerParameter", "ctc_loss_param")],
    "caffe_ocr": [("caffe.LayerParameter", "lstm_param")],
}
# Fields every Caffe since 2014 has, with BVLC's numbers: the core a fork must keep.
CORE = {"caffe.NetParameter": ["name", "layers", "input", "input_dim", "force_backward"],
        "caffe.SolverParameter": ["net", "base_lr", "lr_policy", "max_iter", "momentum",
                                  "weight_decay", "snapshot", "snapshot_prefix", "test_iter"],
        "caffe.FillerParameter": ["type", "value", "std"],
        "caffe.ConvolutionParameter": ["num_output", "bias_term", "group", "weight_filler"]}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("fork", sorted(FORKS))
def test_fork_schema_compiles_and_keeps_the_core(fork):
    require_corpus()
    schema = load_schema(CORPUS / "schemas" / f"{fork}_caffe.proto")
    bvlc = load_schema()
    for message_name, field_names in CORE.items():
        for name in field_names:
            ours, theirs = bvlc.message(message_name).field(name), \
                schema.message(message_name).field(name)
            assert theirs is not None, f"{fork} lacks {message_name}.{name}"
            assert (theirs.number, theirs.type) == (ours.number, ours.type)
    layer_type = schema.message("caffe.NetParameter").field("layers").type_name
    assert schema.message(layer_type).field("convolution_param") is not None
    for message_name, name in FORKS[fork]:
        assert schema.message(message_name).field(name) is not None


def test_cache_is_keyed_by_content_and_rebuilt_when_corrupt(tmp_path):
    proto = tmp_path / "tiny.proto"
    proto.write_text('syntax = "proto2";\npackage t;\nmessage A { optional int32 x = 1 [default = 3]; }\n')
    first = compile_schema(proto)
    entries = list(cache_dir().glob("*.json"))
    assert len(entries) == 1 and first.message("t.A").field("x").default == 3
    entries[0].write_text("{ not json")
    again = compile_schema(proto)
    assert again.message("t.A").field("x").default == 3
    assert json.loads(entries[0].read_text())["messages"][0]["name"] == "t.A"
    proto.write_text(proto.read_text().replace("x = 1", "y = 1"))
    assert compile_schema(proto).message("t.A").field("y") is not None
    assert len(list(cache_dir().glob("*.json"))) == 2


def test_unwritable_cache_only_costs_speed(tmp_path):
    proto = tmp_path / "tiny.proto"
    proto.write_text('syntax = "proto2";\npackage t;\nmessage A { optional int32 x = 1; }\n')
    cache_dir().parent.mkdir(parents=True)
    cache_dir().write_text("a file where the cache folder should be")
    assert compile_schema(proto).message("t.A").field("x") is not None
    assert [p.name for p in cache_dir().parent.iterdir()] == ["schemas"]


def test_compiler_error_becomes_ptx_error_with_position(tmp_path):
    proto = tmp_path / "bad.proto"
    proto.write_text('syntax = "proto2";\npackage t;\nmessage A {\n  optional int32 x = 1\n}\n')
    with pytest.raises(PtxError) as info:
        compile_schema(proto)
    err = info.value
    assert (err.path, err.line, err.col) == (str(proto), 5, 1)
    assert 'Expected ";"' in err.message


def test_missing_schema_file_is_a_ptx_error(tmp_path):
    with pytest.raises(PtxError):
        compile_schema(tmp_path / "absent.proto")


def test_compiler_error_in_an_imported_file_names_that_file(tmp_path):
    (tmp_path / "dep.proto").write_text('syntax = "proto2";\nmessage B { optional foo x = 1; }\n')
    main = tmp_path / "main.proto"
    main.write_text('syntax = "proto2";\nimport "dep.proto";\nmessage A { optional B b = 1; }\n')
    with pytest.raises(PtxError) as info:
        compile_schema(main)
    assert info.value.path == str(tmp_path / "dep.proto") and info.value.line == 2


def _descriptor_proto(classes, name):
    from google.protobuf import descriptor_pb2
    proto = descriptor_pb2.DescriptorProto()
    classes[name].DESCRIPTOR.CopyToProto(proto)
    for field in proto.field:
        field.ClearField("json_name")
    return proto


def test_classes_from_bundled_json_equal_classes_from_protoc():
    from_json = descriptor_pool_for()
    from_proto = descriptor_pool_for(REPO / "schemas" / "caffe.proto")
    for name in load_schema().messages:
        assert _descriptor_proto(from_json, name) == _descriptor_proto(from_proto, name), name


def test_classes_parse_text():
    net = descriptor_pool_for().parse_text("caffe.NetParameter", 'layer { name: "a" }')
    assert net.layer[0].name == "a"


def test_bundled_schema_loads_without_protobuf():
    code = ("import sys; from prototxt_tools.schema import load_schema; "
            "s = load_schema(); assert s.message('caffe.LayerParameter'); "
            "print(sorted(m for m in sys.modules if m.startswith(('google', 'grpc'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=str(REPO), capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    assert out.stdout.strip() == "[]"
