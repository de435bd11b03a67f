"""schemas/caffe.proto against the facts table of upstream Caffe, row by row."""
from __future__ import annotations

import copy
import csv
import importlib.util

import pytest

from corpus import REPO
from prototxt_tools.schema import BUNDLED_SCHEMA, load_schema
from prototxt_tools.schema.compile import compile_schema

TABLE = REPO.parent / "shared" / "reference" / "caffe_fields.tsv"
PROTO = REPO / "schemas" / "caffe.proto"


def table_rows() -> list:
    if not TABLE.is_file():
        pytest.skip(f"facts table not found at {TABLE}")
    with open(TABLE, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def expected_default(row: dict):
    """The table's default as a python value (independent of compile.py's reading)."""
    text = row["default"]
    if text == "" or row["type"] in ("string", "bytes", "enum"):
        return text or None
    readers = {"float": float, "double": float, "bool": lambda t: {"true": True}.get(t, False)}
    return readers.get(row["type"], int)(text)


def table_differences(schema, rows: list) -> list:
    """Every way ``schema`` differs from the table (empty when they agree)."""
    diffs = []
    field_rows = [r for r in rows if r["kind"] == "field"]
    enum_rows = [r for r in rows if r["kind"] == "enum"]
    for row in field_rows:
        diffs += _field_differences(schema, row)
    for row in enum_rows:
        enum = schema.enum(row["scope"])
        got = enum.values.get(row["name"]) if enum else None
        if got != int(row["number"]):
            diffs.append(f"enum {row['scope']}.{row['name']}: {got} != {row['number']}")
    listed_fields = {(r["scope"], r["name"]) for r in field_rows}
    for message in schema.messages.values():
        diffs += [f"extra field {message.name}.{name}" for name in message.fields
                  if (message.name, name) not in listed_fields]
    if set(schema.messages) != {r["scope"] for r in field_rows}:
        diffs.append(f"message sets differ: {set(schema.messages) ^ {r['scope'] for r in field_rows}}")
    listed_values = {(r["scope"], r["name"]) for r in enum_rows}
    for enum in schema.enums.values():
        diffs += [f"extra enum value {enum.name}.{v}" for v in enum.values
                  if (enum.name, v) not in listed_values]
    return diffs


def _field_differences(schema, row: dict) -> list:
    message = schema.message(row["scope"])
    field = message.field(row["name"]) if message else None
    where = f"{row['scope']}.{row['name']}"
    if field is None:
        return [f"missing field {where}"]
    want = {"number": int(row["number"]), "label": row["label"], "type": row["type"],
            "type_name": row["type_name"], "default": expected_default(row),
            "packed": "packed" in row["options"].split(",")}
    return [f"{where}.{key}: {getattr(field, key)!r} != {value!r}"
            for key, value in want.items() if getattr(field, key) != value]


@pytest.fixture(scope="module")
def compiled():
    return compile_schema(PROTO, use_cache=False)


def test_compiled_caffe_proto_matches_the_table(compiled):
    rows = table_rows()
    assert table_differences(compiled, rows) == []
    assert len(compiled.messages) == len({r["scope"] for r in rows if r["kind"] == "field"})


@pytest.mark.parametrize("change", ["default", "number", "packed", "label", "extra", "enum"])
def test_table_comparison_catches_each_kind_of_difference(compiled, change):
    rows = table_rows()
    schema = copy.deepcopy(compiled)
    filler = schema.message("caffe.FillerParameter")
    if change == "default":
        filler.field("std").default = 2.0
    elif change == "number":
        filler.field("std").number = 60
    elif change == "packed":
        schema.message("caffe.BlobShape").field("dim").packed = False
    elif change == "label":
        filler.field("std").label = "required"
    elif change == "extra":
        filler.fields["stdev"] = copy.copy(filler.field("std"))
    else:
        schema.enum("caffe.Phase").values["TRAIN"] = 5
    assert table_differences(schema, rows) != []


def test_bundled_json_is_up_to_date(compiled):
    """Regenerate with: python -m prototxt_tools.schema.compile schemas/caffe.proto -o ..."""
    assert BUNDLED_SCHEMA.read_text(encoding="utf-8") == compiled.dumps()


def test_caffe_proto_is_what_the_generator_writes():
    table_rows()
    spec = importlib.util.spec_from_file_location("gen_caffe_proto",
                                                  REPO / "tools" / "gen_caffe_proto.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.render(gen.read_table(TABLE)) == PROTO.read_text(encoding="utf-8")


def test_bundled_schema_loads_and_answers_lookups():
    schema = load_schema()
    layer = schema.message("caffe.LayerParameter")
    assert layer.name == "caffe.LayerParameter"
    conv = layer.field("convolution_param")
    assert conv.is_message and conv.type_name == "caffe.ConvolutionParameter"
    assert schema.message("caffe.ConvolutionParameter").field("num_output").type == "uint32"
    assert schema.enum("caffe.Phase").values == {"TRAIN": 0, "TEST": 1}
    assert schema.message("caffe.NoSuch") is None and layer.field("no_such") is None
    assert layer.field("bottom").is_repeated and not conv.is_repeated
