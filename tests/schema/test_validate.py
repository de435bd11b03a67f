"""validate(): each finding kind at its exact position, and typed_value()."""
from __future__ import annotations

import math
from collections import OrderedDict

import pytest

from prototxt_tools.schema import descriptor_pool_for, load_schema, typed_value, validate
from prototxt_tools.schema.model import FieldDef, MessageType, Schema
from prototxt_tools.schema.values import BadValue
from prototxt_tools.syntax import parse

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def protobuf_parse():
    """protobuf's own text parser over the same schema: our verdicts must agree with it."""
    classes = descriptor_pool_for()
    return classes.parse_text


def findings(text: str, type_name: str = "caffe.NetParameter") -> list:
    return [(p.code, p.line, p.col) for p in validate(parse(text), SCHEMA, type_name, "t.prototxt")]


def only(text: str, type_name: str = "caffe.NetParameter"):
    problems = validate(parse(text), SCHEMA, type_name, "t.prototxt")
    assert len(problems) == 1, problems
    return problems[0]


def test_clean_net_has_no_findings():
    text = ('name: "n"\nlayer {\n  name: "c" type: "Convolution" bottom: "d" top: "c"\n'
            '  param { lr_mult: 1 } param { lr_mult: 2 }\n'
            '  convolution_param { num_output: 8 kernel_size: [3, 3] '
            'weight_filler { type: "xavier" std: 1e-2 variance_norm: FAN_OUT } }\n'
            '  include { phase: TEST }\n}\n')
    assert findings(text) == []


def test_escape_too_large_for_caffes_tokenizer_is_refused():
    # Caffe's (C++) tokenizer accepts \U escapes up to 0x1FFFFF and refuses larger ones with
    # "Expected eight hex digits up to 10ffff for \U escape sequence"; Python protobuf refuses
    # everything above U+10FFFF, so Caffe, not it, is the spec here.
    text = 'name: "ok\\U0001F600 \\U00110000"\nlayer { name: "x\\U00200000" }\n'
    problem = only(text)
    assert (problem.code, problem.line, problem.col) == ("PTX004", 2, 15)
    assert "Expected eight hex digits up to 10ffff for \\U escape sequence" in problem.message
    assert "\\U00200000" in problem.message


def test_an_escape_in_a_comment_between_literals_is_not_a_value():
    assert findings('name: "a" # \\U00300000 in a comment\n "b"\n') == []


def test_unknown_field_with_suggestion_and_no_descent():
    problem = only('layer {\n  name: "p"\n  pooling_parm { pool: NOPE bogus: 1 }\n}\n')
    assert (problem.code, problem.name, problem.line, problem.col) == \
        ("PTX002", "unknown-field", 3, 3)
    assert (problem.end_line, problem.end_col) == (3, 15)
    assert 'Message type "caffe.LayerParameter" has no field named "pooling_parm".' \
        in problem.message
    assert 'Did you mean "pooling_param"?' in problem.message
    assert problem.parsable().startswith("t.prototxt:3:3: error:")


def test_unknown_field_case_slip_suggests_the_real_name():
    problem = only('layers { Convolution_param { num_output: 1 } }')
    assert 'Did you mean "convolution_param"?' in problem.message
    assert (problem.line, problem.col) == (1, 10)


def test_unknown_enum_value_with_suggestion():
    problem = only('layer {\n  include { phase: TRIAN }\n}')
    assert (problem.code, problem.line, problem.col) == ("PTX003", 2, 20)
    assert (problem.end_line, problem.end_col) == (2, 25)
    assert 'Enum type "caffe.Phase" has no value named TRIAN.' in problem.message
    assert 'Did you mean "TRAIN"?' in problem.message


def test_numeric_enum_values_are_accepted_when_defined():
    assert findings('layer { include { phase: 1 } }') == []
    assert findings('layer { include { phase: 0x0 } }') == []
    problem = only('layer { include { phase: 7 } }')
    assert (problem.code, problem.col) == ("PTX003", 26)
    assert "no value with number 7" in problem.message


@pytest.mark.parametrize("text, col", [
    ('layer { convolution_param { num_output: "8" } }', 41),     # string for int
    ('layer { convolution_param { num_output: -1 } }', 41),      # negative uint32
    ('layer { convolution_param { num_output: 4294967296 } }', 41),  # > uint32 max
    ('layer { convolution_param { num_output: 1.5 } }', 41),     # float for int
    ('layer { convolution_param { num_output: 09 } }', 41),      # bad C octal
    ('layer { convolution_param { bias_term: yes } }', 40),      # non-bool
    ('layer { convolution_param { bias_term: 2 } }', 40),
    ('layer { convolution_param { bias_term: "true" } }', 40),
    ('layer { name: 5 }', 15),                                   # int for string
    ('layer { name: conv1 }', 15),                               # ident for string
    ('layer { convolution_param: 3 }', 28),                      # scalar for message
    ('layer { name { } }', 14),                                  # message for scalar
    ('layer { name: ["a", "b"] }', 15),                          # list for singular
    ('layer { convolution_param { weight_filler { std: abc } } }', 50),  # ident for float
    ('layer { convolution_param { weight_filler { std: 01.5 } } }', 50),  # octal float
    ('layer { include { phase: "TEST" } }', 26),                 # quoted enum
    ('layer { bottom ["a", "b"] }', 16),                         # scalar list needs ':'
])
def test_wrong_value_type(text, col, protobuf_parse):
    from google.protobuf.text_format import ParseError
    with pytest.raises(ParseError):
        protobuf_parse("caffe.NetParameter", text)
    problem = only(text)
    assert (problem.code, problem.name, problem.line, problem.col) == \
        ("PTX004", "wrong-value-type", 1, col)


def test_quoted_enum_message_says_to_drop_the_quotes():
    assert "without quotes" in only('layer { include { phase: "TEST" } }').message


@pytest.mark.parametrize("value", ["true", "false", "True", "False", "t", "f", "1", "0"])
def test_bools_protobuf_accepts(value, protobuf_parse):
    assert findings(f"force_backward: {value}") == []
    protobuf_parse("caffe.NetParameter", f"force_backward: {value}")


@pytest.mark.parametrize("value", ["1", "-2", "0.5", "1e-3", "inf", "-inf", "infinity", "nan",
                                   "-Infinity", "1.5f", "0"])
def test_floats_protobuf_accepts(value, protobuf_parse):
    assert findings(f"base_lr: {value}", "caffe.SolverParameter") == []
    protobuf_parse("caffe.SolverParameter", f"base_lr: {value}")


def test_repeated_singular_field_points_at_second_and_names_first():
    problem = only('layer {\n  name: "a"\n  type: "ReLU"\n  name: "b"\n}\n')
    assert (problem.code, problem.name, problem.line, problem.col) == \
        ("PTX005", "repeated-singular-field", 4, 3)
    assert "first at 2:3" in problem.message
    assert findings('layer { pooling_param { } pooling_param { } }') == [("PTX005", 1, 27)]


def test_repeated_singular_field_in_a_type_that_holds_itself():
    """A message of a type nested in one of the same type keeps its own count of names."""
    node = MessageType("t.Node", OrderedDict([
        ("x", FieldDef("x", 1, "optional", "int32")),
        ("child", FieldDef("child", 2, "optional", "message", ".t.Node")),
        ("kids", FieldDef("kids", 3, "repeated", "message", ".t.Node"))]))
    schema = Schema({"t.Node": node}, {})
    assert schema.is_recursive() and not SCHEMA.is_recursive()
    text = "x: 1 child { x: 2 child { x: 3 } x: 4 } kids [{ x: 5 }, { x: 6 x: 7 }] x: 8"
    assert [(p.code, p.col) for p in validate(parse(text), schema, "t.Node")] == \
        [("PTX005", 34), ("PTX005", 64), ("PTX005", 72)]


def test_repeated_fields_may_repeat_and_take_lists():
    text = 'layer { bottom: "a" bottom: "b" top: ["c", "d"] param [{ lr_mult: 1 }, { }] }'
    assert findings(text) == []


def test_one_bad_field_does_not_stop_the_walk():
    text = ('layer {\n  nme: "x"\n  convolution_param { num_output: -3 }\n}\n'
            'layer { include { phase: TSET } name: "a" name: "b" }\n')
    assert findings(text) == [("PTX002", 2, 3), ("PTX004", 3, 35), ("PTX003", 5, 26),
                              ("PTX005", 5, 43)]


def test_list_items_are_checked_one_by_one():
    assert findings('input_dim: [1, -2, x, 1.5]') == [("PTX004", 1, 20), ("PTX004", 1, 23)]


def test_unknown_message_type_is_a_ptx_error():
    from prototxt_tools.errors import PtxError
    with pytest.raises(PtxError):
        validate(parse(""), SCHEMA, "caffe.Nope")


def _scalar(text: str):
    return parse(f"x: {text}").fields[0].value


def test_typed_value_reads_values_as_protobuf_does():
    filler = SCHEMA.message("caffe.FillerParameter")
    conv = SCHEMA.message("caffe.ConvolutionParameter")
    assert typed_value(filler.field("std"), _scalar("-inf")) == -math.inf
    assert math.isnan(typed_value(filler.field("std"), _scalar("nan")))
    assert typed_value(filler.field("std"), _scalar("3")) == 3.0
    assert typed_value(filler.field("sparse"), _scalar("010")) == 8
    assert typed_value(conv.field("bias_term"), _scalar("t")) is True
    assert typed_value(filler.field("type"), _scalar("'gau' \"ssian\"")) == "gaussian"
    assert typed_value(filler.field("variance_norm"), _scalar("AVERAGE")) == "AVERAGE"
    assert typed_value(filler.field("variance_norm"), _scalar("1"), SCHEMA) == "FAN_OUT"
    with pytest.raises(ValueError):
        typed_value(conv.field("num_output"), _scalar("-1"))
    with pytest.raises(BadValue):
        typed_value(filler.field("variance_norm"), _scalar("FAN"), SCHEMA)
