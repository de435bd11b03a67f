"""Every V0/V1 net of the corpus upgrades to a V2 net that parses, keeps its comments, and stays put."""
from __future__ import annotations

from collections import Counter

import pytest

from corpus import params
from prototxt_tools.errors import PtxError
from prototxt_tools.net.kind import net_format
from prototxt_tools.syntax import ParseError, parse
from prototxt_tools.upgrade import upgrade_text

OLD_NETS = [p for p in params("net") if p.values[0] is None or p.values[0].format in ("v0", "v1")]
MIXED_NETS = [p for p in params("net") if p.values[0] is not None and p.values[0].format == "mixed"]


def _source(corpus_file) -> str:
    with open(corpus_file.path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    try:
        parse(text)
    except ParseError as exc:  # e.g. DeepLab's ${...} templates: not a prototxt until filled in
        pytest.skip(f"not parseable as it stands ({exc})")
    return text


@pytest.mark.parametrize("corpus_file", OLD_NETS, indirect=True)
def test_old_net_upgrades_to_v2(corpus_file):
    text = _source(corpus_file)
    result = upgrade_text(text, corpus_file.rel)
    doc = parse(result.text)
    assert result.needed
    assert net_format(doc) == "v2"
    assert not doc.has("input") and not doc.has("input_dim") and not doc.has("input_shape")
    before = Counter(c for _, c in parse(text).comments())
    after = Counter(c.strip() for _, c in doc.comments())
    assert not Counter({c.strip(): n for c, n in before.items()}) - after
    again = upgrade_text(result.text)
    assert not again.needed and again.text == result.text


@pytest.mark.parametrize("corpus_file", MIXED_NETS or [pytest.param(None, id="none")],
                         indirect=True)
def test_mixed_net_is_refused_with_caffes_message(corpus_file):
    if corpus_file is None:
        pytest.skip("no mixed-format net in the corpus")
    with pytest.raises(PtxError, match="Refusing to upgrade inconsistent NetParameter"):
        upgrade_text(_source(corpus_file), corpus_file.rel)


@pytest.mark.parametrize("corpus_file", params("solver"), indirect=True)
def test_solvers_upgrade_to_type(corpus_file):
    text = _source(corpus_file)
    result = upgrade_text(text, corpus_file.rel)
    doc = parse(result.text)
    assert not doc.has("solver_type")
    assert result.needed == parse(text).has("solver_type")
    assert not upgrade_text(result.text).needed
