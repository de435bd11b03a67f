"""Table-driven rule tests: each case's findings (line:col) and its fixed source.

Every registered rule needs a case that fires and a near miss that stays silent;
rules that offer a fix show the fixed source.
"""
from __future__ import annotations

import os

import pytest

from prototxt_tools.lint import LintConfig, LintOptions, lint_source
from prototxt_tools.lint.fix import fix_text
from prototxt_tools.rules import BY_CODE, RULES, checks_prototxt

from .cases import CASES

PATH_OPTIONS = ("labels", "weights", "root")


def _case_id(case) -> str:
    same = [c for c in CASES if c.code == case.code]
    return f"{case.code}-{'fires' if case.expected else 'silent'}-{same.index(case) + 1}"


IDS = [_case_id(c) for c in CASES]


def _prepare(case, tmp_path) -> LintOptions:
    """Write the case's files into ``tmp_path``; options with paths made absolute."""
    for name, content in case.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
    options = dict(case.options)
    for key in PATH_OPTIONS:
        if key in options:     # ``a,b``: several files (``--weights``)
            options[key] = ",".join(os.path.join(str(tmp_path), part)
                                    for part in str(options[key]).split(","))
    options.setdefault("root", str(tmp_path))
    return LintOptions(**options)


def _lint(case, source, options):
    config = LintConfig(select=[case.code, *case.also])
    return [p for p in lint_source(source, case.path, config, options) if p.code == case.code]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_findings(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)   # the case's path is a file there when the case writes it
    found = _lint(case, case.source, _prepare(case, tmp_path))
    assert [(p.path, p.line, p.col) for p in found] == \
        [(case.path, line, col) for line, col in case.expected], found
    assert all(p.name == BY_CODE[case.code].NAME for p in found)
    assert all(case.says in p.message for p in found), [p.message for p in found]
    has_fix = any(p.fix is not None for p in found)
    assert has_fix == (case.fixed is not None), "a finding with a fix needs the fixed source"


@pytest.mark.parametrize("case", [c for c in CASES if c.fixed is not None],
                         ids=[i for c, i in zip(CASES, IDS) if c.fixed is not None])
def test_fix(case, tmp_path):
    options = _prepare(case, tmp_path)
    new_text, applied, remaining = fix_text(case.path, case.source,
                                            lambda t: _lint(case, t, options), unsafe=True)
    assert new_text == case.fixed
    assert applied
    assert [(p.line, p.col) for p in remaining] == list(case.left)
    assert all(p.fix is None for p in remaining)


def test_every_rule_has_a_firing_and_a_silent_case():
    fires = {c.code for c in CASES if c.expected}
    silent = {c.code for c in CASES if not c.expected}
    codes = [rule.CODE for rule in RULES if checks_prototxt(rule)]   # log rules: tests/logs
    assert [c for c in codes if c not in fires] == [], "rules without a case that fires"
    assert [c for c in codes if c not in silent] == [], "rules without a near miss"
    assert {c.code for c in CASES} <= set(codes), "cases for unregistered rules"


def test_every_fixing_rule_shows_a_fixed_source():
    """A rule whose module builds Fix records must show one applied in the table."""
    import inspect
    fixing = {rule.CODE for rule in RULES if "Fix(" in inspect.getsource(rule)}
    shown = {c.code for c in CASES if c.fixed is not None}
    assert sorted(fixing - shown) == []


def test_a_pretrained_style_net_gets_one_missing_filler_finding_plus_its_new_layers():
    """PTX206 without --weights on a net where most layers have no filler: one finding for
    those, one per boosted (new) layer that feeds a further learnable layer; the new head
    feeding only the loss learns from zeros and is not reported."""
    case = next(c for c in CASES if c.code == "PTX206" and "pass --weights" in c.says)
    (first,) = _lint(case, case.source, LintOptions())
    assert first.message.startswith("2 layers have no weight_filler ('conv', 'conv2'): the net "
                                    "looks started from pretrained weights")
    boosted = case.source.replace('top: "conv2"\n', 'top: "conv2"\n  param { lr_mult: 10 }\n')
    rest, new = _lint(case, boosted, LintOptions())
    assert new.message.startswith("layer 'conv2' has no weight_filler")
    assert rest.message.startswith("1 layer has no weight_filler ('conv')")
