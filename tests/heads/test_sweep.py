"""``--replace-head`` on every corpus net (every format; V0/V1 after ``ptx upgrade``) for
3 and 37 classes (37: more than many top_k values, priors x classes arithmetic), checked
against the invariants of ``sweep.py`` -- not against today's outputs.  The summary
(nets per family, refusals by reason) prints with ``-rA`` or ``-s``."""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import files_of, params, require_corpus
from prototxt_tools.errors import PtxError

from . import invariants as inv
from . import sweep as sw

COUNTS = (3, 37)
_swept = sw.cached


@pytest.mark.parametrize("entry", params("net"))
@pytest.mark.parametrize("n", COUNTS)
def test_edit_or_say_why(entry, n):
    """Success with every invariant, or a one-line refusal for a listed reason."""
    require_corpus()
    swept = _swept(entry, n)
    if swept.refusal is not None:
        assert "\n" not in swept.refusal and swept.refusal.strip()
        assert sw.refusal_reason(swept.refusal) != "unexplained", swept.refusal
        return
    if not swept.outcome.changed:
        pytest.fail(f"nothing changed and nothing refused: {swept.outcome.changes}")
    result = prototxt_tools.load(swept.outcome.text)
    problems = inv.family_stated(swept) + inv.local(swept, swept.outcome.text)
    problems += inv.counts_agree(result)
    for invariant in inv.INVARIANTS:
        problems += invariant(swept, result)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", params("net"))
def test_the_edit_adds_no_lint_finding(entry):
    """Every rule, not only PTX309: the edited net has no finding of a code the original
    had fewer of (a head, a count, a filler or a wiring the edit got wrong shows here)."""
    require_corpus()
    swept = _swept(entry, COUNTS[0])
    if swept.refusal is None:
        problems = inv.no_new_findings(swept, prototxt_tools.load(swept.outcome.text))
        assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", params("net"))
def test_crlf_gives_the_same_edit(entry):
    """The same edit on the net with CRLF line ends: the LF result with CRLF ends."""
    require_corpus()
    swept = _swept(entry, COUNTS[0])
    if swept.refusal is not None:
        return
    lf = swept.source.replace("\r\n", "\n")
    crlf = lf.replace("\n", "\r\n")
    call = [("replace_head", {"n": COUNTS[0]})]
    lf_text = swept.outcome.text if lf == swept.source else prototxt_tools.edit(lf, call).text
    assert prototxt_tools.edit(crlf, call).text == lf_text.replace("\n", "\r\n")


@pytest.mark.parametrize("entry", params("net", formats=("v0", "v1", "mixed")))
def test_an_old_format_net_is_pointed_to_upgrade(entry):
    require_corpus()
    with pytest.raises(PtxError, match=r"run `ptx upgrade` first|unexpected character") as caught:
        prototxt_tools.edit(sw.read(entry.path), [("replace_head", {"n": 3})])
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("entry", params("net"))
def test_heads_come_from_the_graph_not_the_names(entry):
    """With every layer and blob renamed, the same edit (names aside): no family finds
    a head, a class-count place or a background by what a layer is called."""
    require_corpus()
    swept = _swept(entry, COUNTS[0])
    if swept.refusal is not None:
        return
    call = [("replace_head", {"n": COUNTS[0]})]
    anonymous = prototxt_tools.edit(inv.anonymized(swept.source), call)
    assert inv.unnamed(anonymous.changes) == inv.unnamed(swept.outcome.changes)


@pytest.mark.parametrize("entry", params("net"))
def test_one_class_counts_an_extra_class_or_is_refused(entry):
    """N = 1: detection, CTC and R-CNN add background/blank (2 outputs); a softmax over
    one output learns nothing, so the other families refuse it, saying why."""
    require_corpus()
    if _swept(entry, COUNTS[0]).refusal is not None:
        return
    one = sw.sweep(entry, 1)
    if one.refusal is not None:
        assert sw.refusal_reason(one.refusal) in ("one softmax class", "class weights Caffe "
                                                  "reads"), one.refusal
        return
    if one.family in sw.EXTRA_CLASS:
        assert all(count > 1 for _, count in sw.outputs_of(one).values())
    else:    # accepted only where no softmax reads the one output (a sigmoid's yes/no)
        result = prototxt_tools.load(one.outcome.text)
        assert not [l.name for l in result.net.layers
                    if "Softmax" in l.type or l.type == "Accuracy"], one.outcome.changes


@pytest.mark.parametrize("entry", params("labels"))
def test_a_label_file_gives_a_count_or_says_why(entry):
    """``--labels`` on every corpus label file: a positive count, or a one-line refusal
    (a label-image list, a list of files, labels not from 0 name no count)."""
    require_corpus()
    from prototxt_tools.heads.classes import from_labels
    try:
        classes = from_labels(str(entry.path))
    except PtxError as exc:
        assert "\n" not in str(exc) and "--replace-head N" in str(exc)
        return
    assert classes.count >= 1 and classes.source == str(entry.path)


def test_summary(capsys):
    """Nets per family and refusals by reason, printed; every family of a golden case is
    found on some corpus net, and no refusal is left unexplained."""
    require_corpus()
    from .cases import CASES
    summary = sw.Summary()
    for entry in files_of("net"):
        for n in COUNTS:
            summary.add(_swept(entry, n))
    with capsys.disabled():
        print("\n" + summary.render())
    assert {family for *_, family in CASES} <= set(summary.rows)
    assert "refused: unexplained" not in summary.rows
