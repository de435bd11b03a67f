"""Parser edge cases: every construct Caffe files use, values, positions, round trip."""
import math

import pytest

from prototxt_tools.syntax import ListValue, Message, ParseError, Scalar, parse

ROUND_TRIP = [
    "",
    "a: 1",
    "a: 1\n",
    "a { b: 2 }",
    "a < b: 2 >",
    "a: { b: 2 }",
    "a: < b: 2 >",
    "a: 1, b: 2; c: 3",
    "a: [1, 2, 3]",
    "a: []",
    "a [ { b: 1 }, { b: 2 } ]",
    "a: [ { b: 1 } , < b: 2 > ]",
    "s: 'single' t: \"double\"",
    "s: 'it\\'s' t: \"say \\\"hi\\\"\\n\"",
    's: "con" \'cat\'\n   "enated"',
    "f: 1e-4 g: .5 h: -inf i: nan j: 5. k: -0.25 l: 1E+3 m: 2f",
    "e: MAX",
    "x: 0x1F y: -7",
    "# only a comment",
    "# c1\na: 1 # c2\n# c3\nb { # c4\n c: 2 # c5\n} # c6",
    "a # between name and colon\n : # after colon\n 1",
    "a: [1, # inside a list\n 2]",
    "a: 1\r\nb {\r\n\tc: 2\r\n}\r\n",
    "\ufeffa: 1\n",
    "\ta:\t1\t\n\n\n   b\t{\tc\t:\t2\t}",
    "layer{name:'x'type:'ReLU'bottom:'a'top:'a'}",
    "s: \"caf\u00e9 \u2603\"  # non-ASCII in strings and comments: \u00e9",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_render_gives_back_the_exact_text(text):
    assert parse(text).render() == text


def test_values_are_decoded_like_protobuf():
    doc = parse(ROUND_TRIP[15])
    assert doc.scalar("f") == 1e-4 and doc.scalar("g") == 0.5
    assert doc.scalar("h") == "-inf"  # identifiers stay text; the schema gives them a type
    assert doc.scalar("j") == 5.0 and doc.scalar("k") == -0.25 and doc.scalar("l") == 1000.0
    assert doc.scalar("m") == 2.0
    hexdoc = parse("x: 0x1F y: -7 z: 017")
    assert (hexdoc.scalar("x"), hexdoc.scalar("y"), hexdoc.scalar("z")) == (31, -7, 15)


def test_strings_unescape_and_concatenate():
    assert parse(ROUND_TRIP[13]).scalar("s") == "it's"
    assert parse(ROUND_TRIP[13]).scalar("t") == 'say "hi"\n'
    assert parse(ROUND_TRIP[14]).scalar("s") == "concatenated"
    assert parse(r's: "\x41\101\u00e9\t"').scalar("s") == "AA\u00e9\t"


def test_escapes_without_a_character_read_as_caffe_keeps_them():
    # Caffe's C++ tokenizer keeps a \U escape above U+10FFFF as written (up to 0x1FFFFF;
    # validation reports larger ones) and accepts a lone surrogate (no str holds one: U+FFFD)
    assert parse(r's: "a\U0011000Ab"').scalar("s") == "a\\U0011000Ab"
    assert parse(r's: "\ud800\U0001F600"').scalar("s") == "\ufffd\U0001F600"


def test_structure_of_messages_lists_and_repeats():
    doc = parse("a [ { b: 1 }, { b: 2 } ] a { b: 3 } c: [4, 5] c: 6 d: 1 d: 2")
    assert [m.scalar("b") for m in doc.messages("a")] == [1, 2, 3]
    assert doc.scalars("c") == [4, 5, 6]
    assert doc.scalar("d") == 2  # the last value of a singular field wins
    assert isinstance(doc.get_all("c")[0].value, ListValue)
    assert isinstance(doc.get("d").value, Scalar)
    assert doc.scalar("missing", default="dflt") == "dflt"


def test_positions_are_one_based_and_crlf_aware():
    doc = parse("a: 1\r\nb {\r\n\tc: 2\r\n}\r\n")
    b = doc.get("b")
    assert b.position == (2, 1)
    c = b.value.get("c")
    assert c.position == (3, 2)  # a tab is one column
    assert c.value.position == (3, 5)
    assert b.end_position == (4, 2)


def test_bom_is_not_a_column():
    doc = parse("\ufeffa: 1\n")
    assert doc.get("a").position == (1, 1)


def test_message_spans_and_colon():
    doc = parse("layer {\n  name: 'x'\n}\nn: 1")
    layer = doc.get("layer")
    assert isinstance(layer.value, Message)
    assert layer.colon == -1 and doc.get("n").colon >= 0
    text = doc.text
    assert text[layer.value.inner_start:layer.value.close_start] == "\n  name: 'x'\n"
    assert layer.render() == "layer {\n  name: 'x'\n}"


ERRORS = [
    ("layer {\n  name: 'x'\n", 3, 1, "unclosed `{` opened at 1:7"),
    ("a: }", 1, 4, "expected a value after `a:`"),
    ("a {\n b: 1\n>", 3, 1, "expected `}` to close `{` opened at 1:3, found `>`"),
    ("}", 1, 1, "unexpected `}`: no block is open here"),
    ("num_output 5", 1, 12, "expected `:` or `{` after `num_output`"),
    ("num_output:\n}", 2, 1, "expected a value after `num_output:`"),
    ("a: [1 2]", 1, 7, "expected `,` or `]` in the list opened at 1:4"),
    ("a: [1,", 1, 7, "expected a value in the list opened at 1:4, found end of file"),
    ('a: "abc\n"', 1, 4, "unterminated string"),
    ("a: 1 $X", 1, 6, "template placeholder"),
    ("a: -", 1, 4, "`-` must be followed directly by a number"),
    ("a: 1 @", 1, 6, "unexpected character '@'"),
    ("1: 2", 1, 1, "expected a field name, found `1`"),
    ("a:\x00", 1, 3, "unexpected control character"),
]


@pytest.mark.parametrize("text,line,col,message", ERRORS)
def test_syntax_errors_say_where_and_what(text, line, col, message):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert (info.value.line, info.value.col) == (line, col)
    assert message in info.value.message


def test_absurd_nesting_is_an_error_not_a_crash():
    deep = "a { " * 5000 + "}" * 5000
    with pytest.raises(ParseError) as info:
        parse(deep)
    assert "nesting deeper than" in info.value.message


def test_float_words():
    from prototxt_tools.syntax.values import parse_float_word
    assert parse_float_word("-inf") == -math.inf and math.isnan(parse_float_word("nan"))
    assert parse_float_word("MAX") is None


def test_comments_skip_hashes_inside_strings_and_comments():
    doc = parse('# a\nname: "x#y" # b # c\r\n#\nl { a: 1 }#e')
    assert list(doc.comments()) == [(0, "# a"), (16, "# b # c"), (25, "#"), (37, "#e")]
