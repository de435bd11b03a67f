"""Corpus sweep: every V2 net x every pass that applies to it.

Parameters come from the net itself (its heads, its learnable layers).  Each
result must parse, keep every phase free of new graph errors (the driver refuses
otherwise, which fails the test; a new shape error is a fair refusal of the sweep's
arbitrary head size or input shape), be idempotent, and change only lines inside
the layers the pass is about.
"""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import params
from prototxt_tools.errors import PtxError
from prototxt_tools.edits.layout import break_end, line_end, line_start
from prototxt_tools.heads import plan_heads
from prototxt_tools.heads.classes import from_count
from prototxt_tools.passes.heads import find_heads

from .linediff import line_edits

ALL = None  # the pass may touch any layer (to_deploy)


def _load_v2(corpus_file):
    try:
        ptx_file = prototxt_tools.load(str(corpus_file.path))
    except PtxError:
        pytest.skip("does not parse (covered by the syntax tests)")
    if ptx_file.kind != "net" or ptx_file.format != "v2":
        pytest.skip(f"{ptx_file.kind} {ptx_file.format}: passes edit V2 nets")
    return ptx_file


def _plans(ptx_file):
    """(pass calls, names of the layers it may touch) that apply to this net."""
    heads = find_heads(ptx_file)
    learnable = list(dict.fromkeys(
        v.name for v in ptx_file.graph("TRAIN").learnable_layers()))
    plans = []
    try:
        plan = plan_heads(ptx_file, from_count(7))
    except PtxError:   # a multi-task net: replace_head refuses it (tested in tests/heads)
        plan = None
    if plan is not None and (plan.heads or plan.settings):
        twins = _sharing(ptx_file)  # siamese twins of a head are replaced with it
        touched = _readers(ptx_file, plan.touched()) | _readers(ptx_file, twins)
        # a net input's declared shape (score maps fed directly) is outside every layer
        plans.append(([("replace_head", {"n": 7, "suffix": "_ft"})],
                      ALL if plan.input_dims else touched))
    if heads:
        plans.append(([("cut_gradient", {"layer": heads[-1]})], set(heads[-1:])))
    if learnable:
        first = learnable[0]
        plans.append(([("rename", {"old": first, "new": first + "_x"})],
                      _readers(ptx_file, [first])))
        plans.append(([("freeze_fraction", {"fraction": 0.5})], set(learnable) | _sharing(ptx_file)))
    if any(not layer.bottoms for layer in ptx_file.net.layers):
        plans.append(([("to_deploy", {"input_shape": (1, 3, 32, 32)})], ALL))
    return plans


def _readers(ptx_file, names) -> set:
    """The layers called ``names`` and every layer naming them as a blob."""
    wanted = set(names)
    return wanted | {v.name for v in ptx_file.net.layers
                     if wanted & (set(v.bottoms) | set(v.tops))}


def _chosen_shape(passes, message: str) -> bool:
    """The sweep's arbitrary sizes (7 classes, a 32x32 input) can break a net's shapes;
    the driver refusing that is right.  Renames, freezing and cuts never change a shape."""
    return "new shape error" in message and passes[0][0] in ("replace_head", "to_deploy")


def _sharing(ptx_file) -> set:
    return {v.name for v in ptx_file.net.layers if any(p.name for p in v.params)}


def _spans(ptx_file, names) -> list:
    """Line spans of the layers called ``names``, adjacent spans merged."""
    text = ptx_file.text
    spans = sorted((line_start(text, v.field.start), break_end(text, line_end(text, v.field.end)))
                   for v in ptx_file.net.layers if v.name in names)
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@pytest.mark.parametrize("corpus_file", params("net", formats=("v2",)), indirect=True)
def test_every_pass(corpus_file):
    ptx_file = _load_v2(corpus_file)
    for passes, allowed in _plans(ptx_file):
        try:
            outcome = prototxt_tools.edit(ptx_file, passes)
        except PtxError as exc:
            if "edit refused" in exc.message and not _chosen_shape(passes, exc.message):
                raise
            continue  # a clear refusal of the request (e.g. no shape for to_deploy)
        result = prototxt_tools.load(outcome.text)
        for phase in ("TRAIN", "TEST"):
            before = {p.code for p in ptx_file.graph(phase).problems if p.severity == "error"}
            after = {p.code for p in result.graph(phase).problems if p.severity == "error"}
            assert after <= before, (passes, phase, after - before)
        assert not prototxt_tools.edit(result, passes).changed, passes
        if allowed is not ALL:
            spans = _spans(ptx_file, allowed)
            for edit in line_edits(ptx_file.text, outcome.text):
                assert any(a <= edit.start and edit.end <= b for a, b in spans), \
                    (passes, ptx_file.text[edit.start:edit.end][:200])
