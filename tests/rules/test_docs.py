"""Every rule documents itself in the fixed sections and appears in the README's rule table."""
from __future__ import annotations

import re

import pytest

from corpus import REPO
from prototxt_tools.cli.rule import markdown_table
from prototxt_tools.rules import RULES
from prototxt_tools.rules.base import SECTIONS, documentation, sections

FAMILIES = ("PTX0", "PTX1", "PTX2", "PTX3", "PTX4", "PTX5", "PTX6", "PTX7")


@pytest.mark.parametrize("rule", RULES, ids=[r.CODE for r in RULES])
def test_rule_contract(rule):
    assert re.fullmatch(r"PTX\d{3}", rule.CODE) and rule.CODE[:4] in FAMILIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.NAME)
    assert rule.SEVERITY in ("error", "warning", "info")
    for name, (kind, default) in rule.OPTIONS.items():
        assert isinstance(default, kind), name
    found = sections(rule)
    assert [s for s in SECTIONS if s in found] == list(SECTIONS), f"{rule.CODE} sections: {list(found)}"
    assert all(found[s].strip() for s in SECTIONS)
    assert "```" in found["Example"]
    assert rule.CODE in documentation(rule)


def test_codes_and_names_unique():
    assert len({r.CODE for r in RULES}) == len(RULES) == len({r.NAME for r in RULES})


def test_readme_rule_table():
    """README.md is the lead's: the table comes from `ptx rule --all --format markdown`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = [line for line in markdown_table(RULES).splitlines() if line.startswith("| PTX")]
    missing = [row.split("|")[1].strip() for row in rows if row not in readme]
    assert not missing, f"README rule table out of date for {missing}"
