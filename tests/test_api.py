"""prototxt_tools.load: text or path, and what a wrong kind of file is told."""
import os

import pytest

import prototxt_tools
from prototxt_tools.errors import PtxError


def test_load_takes_text_or_path(tmp_path, monkeypatch):
    assert prototxt_tools.load('name: "n"').path == "<text>"
    assert prototxt_tools.load("layer {}").kind == "net"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a:b.prototxt").write_text('name: "from file"\n')
    net_file = prototxt_tools.load("a:b.prototxt")       # a colon, but such a path exists
    assert (net_file.path, net_file.net.name) == ("a:b.prototxt", "from file")
    with pytest.raises(PtxError, match="no such file"):
        prototxt_tools.load(os.path.join("missing", "net.prototxt"))


def test_wrong_kind_names_what_the_file_is():
    solver = prototxt_tools.load('net: "train_val.prototxt"\nbase_lr: 0.01\n')
    with pytest.raises(PtxError, match=r'this is a solver, not a net \(its net: "train_val'):
        solver.net


def test_edit_outcome_repr_is_short():
    """The texts are whole files; the repr says what happened (issue 13 item 12)."""
    from prototxt_tools.passes import call
    from corpus import REPO
    caffenet = REPO / "fixtures" / "caffenet" / "train_val.prototxt"
    outcome = prototxt_tools.edit(str(caffenet), [call("replace_head", "20", name="fc8_flickr")])
    assert repr(outcome).startswith("EditOutcome(changed=True, ")
    assert len(repr(outcome)) < 120


def test_an_empty_text_is_said_to_be_empty_not_a_missing_file():
    """``edit(open(path).read(), ...)`` on an empty corpus file gave 'no such file'."""
    for text, said in (("", "text is empty"), ("\n  \n", "text holds only whitespace")):
        with pytest.raises(PtxError, match=said):
            prototxt_tools.edit(text, [("replace_head", {"n": 3})])
