"""The compiled parser builds exactly the Python parser's tree, or hands over to it.

``_cparse`` may accept only what the Python parser accepts, and must then
produce the same lexeme boundaries and the same nodes; where it returns None
(errors and rare constructs) the Python parser decides.  Checked on every
corpus file, on hand-picked edge cases and on thousands of mutated files.
Under CI the module must have been built: that is the path users get.
"""
import os
import random

import pytest

from corpus import REPO, files_of, require_corpus
from prototxt_tools.syntax import ParseError, parser
from prototxt_tools.syntax.cst import ListValue, Message, Scalar

from ..test_fuzz import SEED, _mutate

pytestmark = pytest.mark.skipif(
    not parser.COMPILED and not os.environ.get("CI"),
    reason="the compiled parser was not built here (no C compiler when installing); "
           "the Python parser is in use and is tested everywhere else")

EDGE_CASES = [
    "", " ", "\n", "\ufeffname: 'x'", "a: 1", "a:1;b:2,c:3", "a { }", "a < b: 1 >", "a: { b: 2 }",
    "a: [1, 2, 3]", "a [ { b: 1 }, < c: 2 > ]", "a: []", 'a: "x" "y"\n  \'z\'', "a: 'it''s'",
    'a: "esc\\"aped\\\\"', "a: -inf b: nan c: -1.5e-3 d: .5 e: 1e5f f: 0x1F g: +3 h: 1.",
    "a.b.c: TRUE", "a: x.y", "# only a comment", "a: 1 # trailing\r\n# next\r\nb: 2",
    "a\t:\t2\n\n\n", "a: 1\n\x0bb: 2\x0c", 'a: "\u4e2d\u6587" # \u6ce8\u91ca',
    "a { b { c { d { } } } }", "a: -name", "a: 00012",
]
REFUSED = [
    "a", "a:", "a: }", "}", "a {", "a { b: 1 >", "a: [1 2]", "a: [1,]", "1: 2", '"a": 1',
    "a: 1a", "a: 1.5.5", "a: 0x", "a: 1e", "a: $x", "a: 'open", "a: \"open\nb: 1\"",
    "a: -", "a: +x", "a: .", "\u00e9: 1", "a: 1\x00", "a: [", "a: [1", "a {" * 101 + "}" * 101,
    "a: \u0663", "a: \u00e9", "a: 1\u0663", "a: \u0661\u0663",  # digits are ASCII only
]


def _compiled(text: str):
    """The compiled parser's Document, or None when it hands over."""
    result = parser._cparse.parse(text, parser._stream_from_starts)
    return None if result is None else parser.Document(*result)


def _shape(node) -> tuple:
    """Everything a node carries, recursively (positions are lexeme indices)."""
    kind = type(node).__name__
    if isinstance(node, Scalar):
        return (kind, node.first, node.last, node.text)
    if isinstance(node, ListValue):
        return (kind, node.first, node.last, [_shape(i) for i in node.items])
    assert isinstance(node, Message)
    return (kind, node.first, node.last,
            [(f.name, f.first, f.last, f.colon, _shape(f.value)) for f in node.fields])


def assert_same_as_python(text: str) -> bool:
    """True when the compiled parser took the text (and agreed), False when it handed over."""
    try:
        expected = parser.parse_python(text)
    except ParseError:
        assert _compiled(text) is None, f"compiled parser accepted what Python refuses: {text!r}"
        return False
    got = _compiled(text)
    if got is None:
        return False
    assert list(got.stream.starts) == list(expected.stream.starts)
    assert got.stream.texts == expected.stream.texts
    assert got.stream.significant == expected.stream.significant
    assert _shape(got) == _shape(expected)
    assert got.render() == text
    return True


def test_the_compiled_parser_is_built_under_ci():
    assert parser.COMPILED, "prototxt_tools.syntax._cparse is missing: the C build failed"


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_give_the_python_tree(text):
    assert_same_as_python(text)


def test_the_common_constructs_take_the_fast_path():
    taken = [t for t in EDGE_CASES if assert_same_as_python(t)]
    assert len(taken) == len(EDGE_CASES), set(EDGE_CASES) - set(taken)


@pytest.mark.parametrize("text", REFUSED)
def test_what_python_refuses_is_handed_over(text):
    with pytest.raises(ParseError):
        parser.parse_python(text)
    assert _compiled(text) is None
    with pytest.raises(ParseError):
        parser.parse(text)  # the public entry point still raises the Python parser's error


@pytest.mark.corpus
def test_every_corpus_file_gives_the_python_tree():
    entries = files_of("net", "solver", "labelmap", "labels")
    if not entries:
        require_corpus()
    taken = 0
    for entry in entries:
        text = entry.path.read_bytes().decode("utf-8", errors="replace")
        taken += assert_same_as_python(text)
    parseable = sum(1 for e in entries if _parses(e.path.read_bytes().decode("utf-8", "replace")))
    assert taken == parseable  # no valid corpus file needs the slow path


def _parses(text: str) -> bool:
    try:
        parser.parse_python(text)
        return True
    except ParseError:
        return False


@pytest.mark.corpus
def test_mutated_files_give_the_python_tree_or_hand_over():
    paths = list((REPO / "fixtures").rglob("*.prototxt"))
    paths += [f.path for f in files_of("net", "solver")]
    seeds = [p.read_bytes() for p in paths if 0 < p.stat().st_size <= 16_000]
    if len(seeds) < 20:
        require_corpus()
    rng = random.Random(SEED + 1)
    for _ in range(4000):
        text = _mutate(rng.choice(seeds), rng).decode("utf-8", errors="replace")
        assert_same_as_python(text)


def test_a_build_that_does_not_fit_the_classes_reports_why_and_is_not_used(monkeypatch):
    class NoSlots:
        pass
    try:
        with pytest.raises(AttributeError, match="stream"):
            parser._cparse.setup(NoSlots, Message, Scalar, ListValue, object())
    finally:
        parser._cparse.setup(*parser._NODE_CLASSES)
    assert parser._cparse.parse("a: 1", parser._stream_from_starts) is not None
    monkeypatch.setattr(parser, "CPARSE_ABI", parser.CPARSE_ABI + 1)  # a stale build
    assert parser._compiled_parser() is None
    monkeypatch.setenv("PTX_PYTHON_PARSER", "1")
    monkeypatch.setattr(parser, "CPARSE_ABI", parser.CPARSE_ABI - 1)
    assert parser._compiled_parser() is None
