"""Golden before/after files for every pass and for combined calls; idempotence;
CRLF and tabs surviving byte for byte outside the changed lines."""
from __future__ import annotations

import pytest

import prototxt_tools
from .linediff import line_edits

from .cases import CASES, EDIT, FLICKR


def _read(path) -> str:
    with open(path, newline="", encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("golden,source,passes", CASES, ids=[c[0] for c in CASES])
def test_golden(golden, source, passes):
    outcome = prototxt_tools.edit(str(source), passes)
    assert outcome.text == _read(EDIT / golden)
    assert outcome.changes, "a golden case must change something"


@pytest.mark.parametrize("golden,source,passes", CASES, ids=[c[0] for c in CASES])
def test_idempotent(golden, source, passes):
    again = prototxt_tools.edit(_read(EDIT / golden), passes)
    assert not again.changed
    assert again.text == _read(EDIT / golden)


@pytest.mark.parametrize("golden,source,passes", CASES, ids=[c[0] for c in CASES])
def test_crlf_survives(golden, source, passes):
    """The same edit on a CRLF copy gives the CRLF copy of the golden file: inserted
    lines take the file's line ending, untouched lines keep theirs."""
    crlf = _read(source).replace("\n", "\r\n")
    outcome = prototxt_tools.edit(crlf, passes)
    assert outcome.text == _read(EDIT / golden).replace("\n", "\r\n")


def test_flickr_style_pair():
    """ptx edit caffenet/train_val.prototxt --replace-head 20 --name fc8_flickr."""
    expected, source, passes = FLICKR
    assert prototxt_tools.edit(str(source), passes).text == _read(expected)


def test_changed_lines_stay_inside_touched_layers():
    """Tabs, comments and one-line blocks outside the edited layers are untouched."""
    _, source, passes = CASES[0]
    before = _read(source)
    after = prototxt_tools.edit(before, passes).text
    touched = set()
    for edit in line_edits(before, after):
        touched |= set(range(before.count("\n", 0, edit.start) + 1,
                             before.count("\n", 0, edit.end) + 2))
    for number, line in enumerate(before.splitlines(), 1):
        if number not in touched:
            assert line in after.splitlines()
    assert "# first conv" in after and "\t" in after
