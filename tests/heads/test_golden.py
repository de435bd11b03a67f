"""``--replace-head`` on the corpus nets of every family: the golden edit, the same
edit on a CRLF copy (CRLF kept on every line), and idempotence."""
from __future__ import annotations

from pathlib import Path

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus

from .cases import CASES, render

GOLDEN = Path(__file__).parent / "golden"


def _source(rel: str) -> str:
    require_corpus()
    with open(CORPUS / rel, newline="", encoding="utf-8") as fh:
        return fh.read()


def _params(params: dict) -> dict:
    """Label files are named relative to the corpus."""
    return {k: str(CORPUS / v) if k == "labels" else v for k, v in params.items()}


def _golden(name: str) -> str:
    with open(GOLDEN / f"{name}.diff", newline="", encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("name,rel,params,family", CASES, ids=[c[0] for c in CASES])
def test_golden(name, rel, params, family):
    original = _source(rel)
    outcome = prototxt_tools.edit(original, [("replace_head", _params(params))])
    assert outcome.changes[0].startswith(f"{family} net: ")
    assert render(outcome, original, str(CORPUS)) == _golden(name)


@pytest.mark.parametrize("name,rel,params,family", CASES, ids=[c[0] for c in CASES])
def test_crlf(name, rel, params, family):
    original = _source(rel)
    crlf = original.replace("\n", "\r\n")
    lf_result = prototxt_tools.edit(original, [("replace_head", _params(params))]).text
    crlf_result = prototxt_tools.edit(crlf, [("replace_head", _params(params))]).text
    assert crlf_result == lf_result.replace("\n", "\r\n")


@pytest.mark.parametrize("name,rel,params,family", CASES, ids=[c[0] for c in CASES])
def test_idempotent(name, rel, params, family):
    once = prototxt_tools.edit(_source(rel), [("replace_head", _params(params))]).text
    assert not prototxt_tools.edit(once, [("replace_head", _params(params))]).changed
