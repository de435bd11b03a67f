"""The edit engine as passes use it: how often a file is parsed, the Python API built
from the pass declarations, and the states an edit is verified in."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools import api
from prototxt_tools.errors import PtxError
from prototxt_tools.passes import PASSES, call

from .cases import CAFFENET, TINY


@pytest.fixture
def parses(monkeypatch):
    """Counts every parse of a PtxFile's text."""
    counted = []
    real = api.parse

    def counting(text):
        counted.append(len(text))
        return real(text)
    monkeypatch.setattr(api, "parse", counting)
    return counted


@pytest.mark.parametrize("passes", [
    [("replace_head", {"n": 20, "name": "fc8_flickr"})],
    [("replace_head", {"n": 20, "suffix": "_ft"}), ("strategy", {"name": "early-features"})],
    [("rename", {"old": "conv1", "new": "conv_a"}), ("freeze", {"layers": ["conv2"]}),
     ("lr_mult", {"layer": "fc8", "values": [5.0]})],
])
def test_a_file_is_parsed_once_per_pass_plus_once_to_verify(parses, passes):
    """Loading is the first pass's parse; each pass's result is parsed once, and that
    parse of the last one is what verification reads."""
    outcome = prototxt_tools.edit(str(CAFFENET), passes)
    assert outcome.changed
    strategies = sum(1 for name, _ in passes if name == "strategy")   # steps see each other
    assert len(parses) - strategies * 2 == len(passes) + 1


def test_python_api_reads_values_like_the_command_line():
    assert call("replace_head", "20", name="fc8_flickr") == (
        "replace_head", {"n": 20, "heads": [], "name": "fc8_flickr", "suffix": None,
                         "lr_mult": [10.0, 20.0], "labels": None,
                         "drop_class_weighting": False, "class_weighting": []})
    assert call("to_deploy") == ("to_deploy", {"input_shape": None})
    assert call("lr_mult", "fc8=1,2") == ("lr_mult", {"layer": "fc8", "values": [1.0, 2.0]})
    with pytest.raises(PtxError, match="no option"):
        call("rename", "a=b", name="x")
    with pytest.raises(PtxError, match="unknown edit pass 'nope'"):
        call("nope")


def test_every_pass_is_declared_once_with_its_name():
    assert [p.name for p in PASSES] == PASSES.names()
    assert len({p.flag for p in PASSES}) == len(PASSES)


BOTH = ('layer { name: "both" type: "ReLU" bottom: "fc" top: "fc_both" '
        'include { stage: "a" stage: "b" } }\n')


def test_rename_follows_readers_of_the_stage_tuple_state_lint_checks():
    """A layer built only with stages a AND b: renaming the blob it reads used to leave
    it reading the old name (each stage was checked alone) and the result failed lint."""
    net = TINY.read_text() + BOTH
    assert _errors(net) == []
    outcome = prototxt_tools.edit(net, [("rename", {"old": "fc", "new": "fc2"})])
    assert 'bottom: "fc2"' in outcome.text
    assert _errors(outcome.text) == []


def test_verification_refuses_a_new_error_of_the_stage_tuple_state():
    from prototxt_tools.edits import TextEdit
    from prototxt_tools.edits.check import apply_checked
    before = api.load(TINY.read_text() + BOTH)
    start = before.text.index('bottom: "fc"')
    broken = TextEdit(start, start + len('bottom: "fc"'), 'bottom: "fc_gone"')
    with pytest.raises(PtxError, match=r"^<text>: error: edit refused: the result has a new error in "
                                       r"TRAIN stage a stage b at line \d+: .*nothing written$"):
        apply_checked(before, [broken])
    assert api.load(before.text).text == before.text


def _errors(text):
    from prototxt_tools.lint import lint_source
    return [p.code for p in lint_source(text) if p.severity == "error"]


def test_overlapping_edits_of_a_pass_are_refused_in_one_line():
    """A pass whose edits overlap is a bug in ptx: refused like a broken result, never a
    traceback, whether the driver applies them or a composed pass combines its steps."""
    from prototxt_tools.edits import TextEdit
    from prototxt_tools.passes.base import EditResult
    from prototxt_tools.passes.compose import combine
    ptx_file = api.load(TINY.read_text())

    def step(_file):
        return EditResult([TextEdit(0, 5, "a"), TextEdit(3, 8, "b")], ["two edits"])
    with pytest.raises(PtxError, match=r"edit refused: overlapping edits by the steps of one "
                                       r"pass .*a bug in ptx.*nothing written"):
        combine(ptx_file, [step])
