"""Oracle tier for the sweep: every corpus net whose original upstream Caffe builds
(``tests/caffe/caffe_verdicts.json``: data layers swapped for Input, Python layers stood
in for) must build after ``--replace-head 3`` too, with each new head at its new output
count (N, or (N + 1) x ... for detection).  Each distinct net state is built once
(TRAIN and TEST when their layers differ), two child processes at a time."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from corpus import corpus_available, files_of, require_corpus
from prototxt_tools.errors import PtxError

from . import sweep as sw

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]
N = 3
RECORD = Path(__file__).resolve().parent.parent / "caffe" / "caffe_verdicts.json"
FALLBACK = (1, 3, 224, 224)     # the corpus oracle's placeholder for underivable data shapes
WORKERS = 2


def _builds() -> dict:
    """Corpus net -> the phases in which upstream Caffe builds the original."""
    record = json.loads(RECORD.read_text()) if RECORD.is_file() else {}
    out: dict = {}
    for name, verdict in record.items():
        rel, phase = name.rsplit(" ", 1)
        if verdict.get("verdict") == "builds":
            out.setdefault(rel, []).append(phase)
    return out


BUILDS = _builds()
NETS = [entry for entry in files_of("net") if entry.rel in BUILDS]


def _phases(swept, phases):
    """The phases whose nets differ (a deploy net is the same net in both)."""
    import prototxt_tools
    from prototxt_tools.graph.state import filter_layers, net_state
    net = prototxt_tools.load(swept.outcome.text).net
    seen, out = set(), []
    for phase in phases:
        included = tuple(layer.index for layer in filter_layers(net, net_state(net, phase)))
        if included not in seen:
            seen.add(included)
            out.append(phase)
    return out


def _build(job):
    from prototxt_tools.caffe.check import check_net
    swept, phase = job
    try:
        return check_net(swept.outcome.text, phase, fallback_shape=FALLBACK, timeout=300.0)
    except PtxError as exc:
        return exc


@pytest.fixture(scope="module")
def built(pycaffe):
    """(rel, phase) -> CheckResult (or the PtxError) of every edited net that ptx edits."""
    jobs = []
    for entry in NETS:
        swept = sw.cached(entry, N)
        if swept.refusal is None:
            jobs += [(swept, phase) for phase in _phases(swept, BUILDS[entry.rel])]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(_build, jobs))
    return {(swept.rel, phase): result for (swept, phase), result in zip(jobs, results)}


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.rel) for e in NETS]
                         or [pytest.param(None, id="corpus-missing")])
def test_edited_net_builds_where_the_original_does(built, entry):
    require_corpus()
    swept = sw.cached(entry, N)
    if swept.refusal is not None:
        pytest.skip(f"refused (judged by test_sweep): {swept.refusal}")
    results = {phase: r for (rel, phase), r in built.items() if rel == entry.rel}
    assert results, "no phase built"
    heads = sw.outputs_of(swept)
    for phase, result in results.items():
        assert not isinstance(result, PtxError), f"{phase}: {result}"
        assert result.fatal is None, f"{phase}: Caffe rejects the edited net: {result.fatal}"
        blobs = dict(result.blobs)
        for name, top in heads.items():
            shape = blobs.get(top[0])
            if shape is not None and len(shape) > 1:    # a head of this phase
                assert shape[1] == top[1], f"{phase}: '{name}' makes {top[0]} {shape}"
        if swept.family not in sw.EXTRA_CLASS:
            assert all(count == N for _, count in heads.values()), heads


def test_the_oracle_sweep_covers_every_family_upstream_can_build():
    """Not a count: the nets upstream builds include classification and FCN ones."""
    if not corpus_available():
        pytest.skip("no corpus")
    families = {sw.cached(entry, N).family for entry in NETS}
    assert {"classification", "fcn"} <= families
