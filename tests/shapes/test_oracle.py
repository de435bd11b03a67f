"""Oracle tier: every blob and parameter shape ptx infers equals real Caffe's.

Each corpus net-phase that Caffe builds (tests/caffe/caffe_verdicts.json) is
instantiated once more with its data layers swapped for Input layers of
known shapes (batch capped at 2 to keep Caffe fast); ptx infers the same net
with the same input shapes.  Where ptx knows a shape (not a fork layer's), it
must equal Caffe's; where Caffe aborts at the small batch, ptx must have
flagged an error or lost track of the shapes at some layer.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import CORPUS, files_of, require_corpus
from prototxt_tools.api import load
from prototxt_tools.caffe.standins import plan_stand_ins, python_layers
from prototxt_tools.caffe.swap import plan_swaps, swapped_text
from prototxt_tools.shapes import infer_file
from prototxt_tools.shapes.infer import ANONYMOUS_TOP, OK

from .caffe_batch import run_jobs

pytestmark = [pytest.mark.oracle, pytest.mark.corpus]
RECORD = Path(__file__).resolve().parent.parent / "caffe" / "caffe_verdicts.json"
FALLBACK, MAX_BATCH = (1, 3, 224, 224), 2
PHASES = ("TRAIN", "TEST")


def _cases():
    record = json.loads(RECORD.read_text()) if RECORD.is_file() else {}
    return [(entry, phase) for entry in files_of("net") for phase in PHASES
            if record.get(f"{entry.rel} {phase}", {}).get("verdict") == "builds"]


CASES = [pytest.param(e, p, id=f"{e.rel} {p}") for e, p in _cases()] or [pytest.param(None, None)]


@pytest.fixture(scope="session")
def caffe_runs(pycaffe, tmp_path_factory):
    """key -> (Caffe's answer, the input shapes it was given)."""
    folder = tmp_path_factory.mktemp("oracle-nets")
    jobs, given = [], {}
    for n, (entry, phase) in enumerate(_cases()):
        ptx = load(str(entry.path))
        plans = plan_swaps(ptx.net, ptx.path, {}, FALLBACK, MAX_BATCH)
        # Python layers are never imported: stand-ins of the shapes ptx infers for them (the
        # layers shapes/pylayers.py knows), a placeholder for the others, as the verdicts had
        sized = {top: shape for plan in plans for top, shape in plan.shapes}
        stand_ins = plan_stand_ins(ptx, ptx.path, python_layers(ptx.net, None), _graph(ptx, phase),
                                   sized, FALLBACK)
        net_file = folder / f"{n}.prototxt"
        net_file.write_text(swapped_text(ptx.doc, plans, stand_ins), encoding="utf-8")
        key = f"{entry.rel} {phase}"
        given[key] = {top: _as_swapped(shape, ptx.format) for plan in plans for top, shape in plan.shapes}
        jobs.append({"key": key, "net": str(net_file), "phase": phase})
    answers = run_jobs(jobs, pycaffe)
    return {key: (answers.get(key, {"fatal": "no answer"}), given[key]) for key in given}


def _graph(ptx, phase):
    try:
        return ptx.graph(phase)
    except Exception:   # ptx's graph fails: every stand-in is a placeholder
        return None


def _compare(answer, result) -> dict:
    """Caffe's blob shapes against ptx's: {"compared": n, "unknown": m}.  A blob ptx has no
    shape for is allowed only when ptx says why (a layer of an unknown type, or after one);
    ptx knowing nothing at all about a net Caffe builds is a failure, not an "unknown"."""
    coverage = {"compared": 0, "unknown": 0}
    lost = [e.layer.name for e in result.layers if e.status != OK]
    for name, shape in answer["blobs"].items():
        if "_split_" in name:
            continue
        mine = result.shape(name)
        if name == ANONYMOUS_TOP:   # pycaffe lists the last of a loss layer's automatic tops
            anonymous = [t for e in result.layers for t in e.anonymous_tops]
            mine = anonymous[-1] if anonymous else None
        if mine is None:
            assert lost, f"blob {name}: ptx inferred nothing, and says no layer stopped it"
            coverage["unknown"] += 1
            continue
        coverage["compared"] += 1
        assert list(mine) == shape, f"blob {name}: ptx {mine}, Caffe {shape}"
    assert coverage["compared"], "ptx inferred none of the blobs Caffe built"
    return coverage


def _as_swapped(shape, net_format):
    """V0 has no Input layer: the swap writes 4 ``input_dim`` values (labels become N 1 1 1)."""
    shape = tuple(shape)
    return (shape + (1, 1, 1))[:4] if net_format == "v0" and len(shape) < 4 else shape


@pytest.mark.parametrize("entry, phase", CASES)
def test_shapes_equal_caffes(caffe_runs, entry, phase):
    require_corpus()
    answer, given = caffe_runs[f"{entry.rel} {phase}"]
    result = infer_file(load(str(entry.path)), phase, input_shapes=given)
    if "fatal" in answer:
        flagged = [e for e in result.layers if e.status != "ok"]
        assert flagged, f"Caffe aborted ({answer['fatal'][:200]}) but ptx saw no problem"
        return
    _compare(answer, result)
    for name, shapes in answer["params"].items():
        entry_ = next((e for e in result.layers if e.layer.name == name), None)
        if entry_ is not None and entry_.status == "ok":
            assert [list(p) for p in entry_.params] == shapes, f"params of {name}"


def test_oracle_compared_most_blobs(caffe_runs):
    """Guards against a vacuous oracle: over every net Caffe built, most of its blobs had a
    ptx shape (computed here, so this test means the same run alone or with the others)."""
    require_corpus()
    total = {"compared": 0, "unknown": 0}
    for key, (answer, given) in caffe_runs.items():
        if "fatal" in answer:
            continue
        path, _, phase = key.rpartition(" ")
        result = infer_file(load(str(CORPUS / path)), phase, input_shapes=given)
        for kind, n in _compare(answer, result).items():
            total[kind] += n
    assert total["compared"] / (total["compared"] + total["unknown"]) > 0.9, total
