"""Table-driven rule tests: each case's findings (line:col) and its fixed source."""
from __future__ import annotations

import pytest

from prototxt_tools.lint import LintConfig, LintOptions, lint_source
from prototxt_tools.lint.fix import fix_text
from prototxt_tools.rules import BY_CODE

from .cases import CASES, OPTIONS


def _config(code: str) -> LintConfig:
    return LintConfig(select=[code])


def _lint(code, source, root):
    options = LintOptions(root=str(root), **OPTIONS.get(code, {}))
    return lint_source(source, "case.prototxt", _config(code), options)


@pytest.mark.parametrize("code,source,expected,fixed", CASES, ids=[c[0] for c in CASES])
def test_findings(code, source, expected, fixed, tmp_path):
    found = _lint(code, source, tmp_path)
    assert [(p.line, p.col) for p in found if p.code == code] == expected, found
    assert all(p.name == BY_CODE[code].NAME for p in found if p.code == code)


@pytest.mark.parametrize("code,source,expected,fixed", [c for c in CASES if c[3]],
                         ids=[c[0] for c in CASES if c[3]])
def test_fix(code, source, expected, fixed, tmp_path):
    new_text, applied, remaining = fix_text("case.prototxt", source,
                                            lambda t: _lint(code, t, tmp_path), unsafe=True)
    assert new_text == fixed
    assert applied and not [p for p in remaining if p.code == code]


def test_every_rule_family_has_a_case():
    covered = {c[0] for c in CASES}
    missing = {code for code in BY_CODE if code[:4] in ("PTX0", "PTX1", "PTX4")} - covered
    assert missing <= {"PTX008"}, missing
