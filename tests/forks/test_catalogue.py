"""The fork catalogue and the bundled fork schemas, against the facts they come from."""
from __future__ import annotations

import importlib.util

import pytest

from corpus import CORPUS, REPO
from prototxt_tools import forks
from prototxt_tools.rules.unknown_layer_type import BVLC_TYPES
from prototxt_tools.schema import load_schema
from prototxt_tools.schema.compile import compile_schema

UPSTREAM_TABLE = REPO.parent / "shared" / "reference" / "caffe_fields.tsv"
# Forks whose own caffe.proto the shared corpus holds (schemas/<file>): wire-compatibility check.
CORPUS_PROTOS = {"ssd": "ssd_caffe.proto", "segnet": "segnet_caffe.proto",
                 "crnn": "crnn_caffe.proto", "caffe-ocr": "caffe_ocr_caffe.proto"}


def _generator():
    spec = importlib.util.spec_from_file_location("gen_caffe_proto",
                                                  REPO / "tools" / "gen_caffe_proto.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def _shape(schema) -> tuple:
    """Messages (fields as sorted JSON) and enums of a schema, order-free."""
    messages = {name: sorted(repr(sorted(f.to_json().items())) for f in m.fields.values())
                for name, m in schema.messages.items()}
    enums = {name: dict(e.values) for name, e in schema.enums.items()}
    return messages, enums


def _wire(field) -> dict:
    """What a field means on the wire and in text; an empty string default is no default,
    as in the upstream facts table."""
    data = field.to_json()
    data["default"] = data["default"] if data["default"] != "" else None
    return data


def test_catalogue_names_only_known_forks_and_no_upstream_names():
    every = forks.forks()
    assert {"ssd", "segnet", "pspnet", "faster-rcnn", "sphereface", "crfasrnn"} <= \
        set(forks.registry().names())
    upstream = load_schema()
    for fork in every:
        assert fork.layer_types or fork.subjects, fork.name
        assert not fork.layer_types & BVLC_TYPES, fork.name
        for subject in fork.subjects:
            scope, name = subject.rsplit(".", 1)
            message, enum = upstream.message(scope), upstream.enum(scope)
            assert (message is None or message.field(name) is None) and \
                (enum is None or name not in enum.values), subject


@pytest.mark.parametrize("name", forks.bundled_names())
def test_bundled_schema_is_what_protoc_reads_from_the_generated_proto(name):
    proto = REPO / "schemas" / "forks" / f"{name}.proto"
    assert _shape(forks.schema(name)) == _shape(compile_schema(proto, use_cache=False))


@pytest.mark.parametrize("name", forks.bundled_names())
def test_fork_proto_is_what_the_generator_writes(name):
    if not UPSTREAM_TABLE.is_file():
        pytest.skip(f"facts table not found at {UPSTREAM_TABLE}")
    gen = _generator()
    rows = gen.merge_fork(gen.read_table(UPSTREAM_TABLE), forks.facts(name))
    assert gen.render(rows, name) == \
        (REPO / "schemas" / "forks" / f"{name}.proto").read_text(encoding="utf-8")


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_PROTOS))
def test_bundled_schema_is_wire_compatible_with_the_forks_own_proto(name):
    """Every field and enum value of the fork's facts has the fork's own number, label,
    type and default: a net the fork reads means the same to ptx."""
    proto = CORPUS / "schemas" / CORPUS_PROTOS[name]
    if not proto.is_file():
        pytest.skip(f"{proto} not in the corpus")
    theirs, ours = compile_schema(proto, use_cache=False), forks.schema(name)
    rows = forks.facts(name)
    assert rows
    for row in rows:
        if row["kind"] == "field":
            want = _wire(theirs.message(row["scope"]).field(row["name"]))
            assert _wire(ours.message(row["scope"]).field(row["name"])) == want, row
        else:
            assert ours.enum(row["scope"]).values[row["name"]] == \
                theirs.enum(row["scope"]).values[row["name"]], row


def test_a_fork_field_replaces_the_upstream_field_of_its_number():
    """SSD numbers SolverParameter.eval_type 41, upstream's layer_wise_reduce: the fork wins."""
    solver = forks.schema("ssd").message("caffe.SolverParameter")
    assert solver.field("eval_type").number == 41
    assert solver.field("layer_wise_reduce") is None
    assert load_schema().message("caffe.SolverParameter").field("layer_wise_reduce") is not None


def test_fork_schema_loads_by_name():
    assert forks.schema_of("fork:ssd") is forks.schema_of("fork:ssd")
    assert forks.schema_of("fork:ssd").message("caffe.PriorBoxParameter") is not None
    assert forks.schema_of("path/to/caffe.proto") is None
