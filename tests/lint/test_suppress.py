"""Inline suppressions: end of line, above a layer, whole file; unused ones are findings."""
from __future__ import annotations

from prototxt_tools.lint import LintConfig, lint_source

NET = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 } } }
{above}layer { name: "r1" type: "ReLU"
  bottom: "nope" top: "r1" }{eol}
layer { name: "r2" type: "ReLU" bottom: "gone" top: "r2" }
'''


def net(above: str, eol: str) -> str:
    return NET.replace("{above}", above).replace("{eol}", eol)


def _codes(text, select=("PTX101", "PTX008")):
    return [(p.line, p.code) for p in lint_source(text, "n.prototxt", LintConfig(select=list(select)))]


def test_without_suppression():
    assert _codes(net("", "")) == [(3, "PTX101"), (4, "PTX101")]


def test_end_of_line_covers_that_line_only():
    assert _codes(net("", "  # ptx: disable=PTX101")) == [(4, "PTX101")]


def test_comment_above_layer_covers_the_layer_by_name():
    text = net("# ptx: disable=unknown-bottom\n", "")
    assert _codes(text) == [(5, "PTX101")]


def test_disable_file_with_and_without_codes():
    assert _codes("# ptx: disable-file\n" + net("", "")) == []
    assert _codes("# ptx: disable-file=PTX101\n" + net("", "")) == []


def test_unused_and_unknown_suppressions_are_reported():
    text = net("", "") + "# ptx: disable-file=PTX999,PTX102\n"
    found = lint_source(text, "n.prototxt", LintConfig(select=["PTX101", "PTX102", "PTX008"]))
    messages = [p.message for p in found if p.code == "PTX008"]
    assert len(messages) == 2 and "PTX999" in messages[0] and "PTX102" in messages[1]


def test_unused_suppression_can_itself_be_suppressed():
    text = "# ptx: disable-file=PTX008\n# ptx: disable=PTX102\n" + net("", "")
    assert [c for _, c in _codes(text)] == ["PTX101", "PTX101"]
