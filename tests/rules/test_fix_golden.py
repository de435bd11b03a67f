"""Golden before/after files for the fixes that move or rewrite fields (tests/rules/fixes/).

Each ``CODE-name.before.prototxt`` is fixed with ``--unsafe-fixes`` for its rule only and
must become ``CODE-name.after.prototxt``, with LF and with CRLF line endings (the CRLF
variant is made here, so the stored files stay plain).  The fixed text must re-parse,
keep every comment, lint clean for that rule and bring no finding of another rule.
``--fix`` alone must leave the file alone: these fixes change training.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from prototxt_tools.lint import LintConfig, LintOptions, lint_source
from prototxt_tools.lint.fix import fix_text
from prototxt_tools.syntax import parse

GOLDEN = Path(__file__).resolve().parent / "fixes"
BEFORE = sorted(GOLDEN.glob("*.before.prototxt"))
PATH = "golden.prototxt"


def _texts(before: Path, newline: str):
    after = before.with_name(before.name.replace(".before.", ".after."))
    return (before.read_text(encoding="utf-8").replace("\n", newline),
            after.read_text(encoding="utf-8").replace("\n", newline))


def _linter(codes):
    config = LintConfig(select=list(codes)) if codes else LintConfig()
    return lambda text: lint_source(text, PATH, config, LintOptions())


def _comments(text: str):
    return [comment for _, comment in parse(text).comments()]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("before", BEFORE, ids=[p.name.split(".")[0] for p in BEFORE])
def test_golden_fix(before, newline):
    code = before.name.split("-")[0]
    source, expected = _texts(before, newline)
    fixed, applied, remaining = fix_text(PATH, source, _linter([code]), unsafe=True)
    assert fixed == expected
    # findings sharing one fix (a layer's fields) all count as fixed, not only the first
    assert len(applied) == len(_linter([code])(source)) and not remaining
    assert _comments(fixed) == _comments(source)
    everything = _linter(None)
    codes_before = {p.code for p in everything(source)}
    assert code in codes_before
    assert {p.code for p in everything(fixed)} <= codes_before - {code}


@pytest.mark.parametrize("before", BEFORE, ids=[p.name.split(".")[0] for p in BEFORE])
def test_golden_fix_is_unsafe(before):
    source, _ = _texts(before, "\n")
    code = before.name.split("-")[0]
    fixed, applied, _ = fix_text(PATH, source, _linter([code]), unsafe=False)
    assert fixed == source and not applied
