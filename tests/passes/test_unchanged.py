"""A pass that changes nothing says why (issue 13 item 2): every registered pass, run
again on its own output, returns no edit and a ``nothing to change:`` note."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.passes import PASSES
from prototxt_tools.passes.base import NOTHING

from .cases import CAFFENET, EDIT, TINY

CAFFENET_DEPLOY = EDIT / "caffenet_deploy.prototxt"   # to_deploy's golden output

FROZEN = [("freeze", {"layers": ["conv1", "bn1", "conv2"]})]
# (pass calls to get there, the pass under test): each must change its source once.
CALLS = [
    ([], ("rename", {"old": "conv1", "new": "conv_a"})),
    ([], ("rename_blob", {"old": "sum", "new": "features"})),
    ([], ("num_output", {"layer": "conv1", "n": 12})),
    ([], ("replace_head", {"n": 5})),
    ([], ("freeze", {"layers": ["conv1"]})),
    ([], ("freeze_until", {"layer": "pool1"})),
    ([], ("freeze_fraction", {"fraction": 0.5})),
    (FROZEN, ("unfreeze", {"layers": ["conv1", "bn1", "conv2"]})),
    ([], ("strategy", {"name": "feature-extractor"})),
    (FROZEN, ("strategy", {"name": "fine-tune-all"})),
    ([], ("strategy", {"name": "early-features"})),
    ([], ("strategy", {"name": "from-scratch"})),
    ([], ("cut_gradient", {"layer": "sum"})),
    ([], ("lr_mult", {"layer": "fc", "values": [5.0, 10.0]})),
    ([], ("decay_mult", {"layer": "conv1", "values": [0.0]})),
    ([], ("to_deploy", {})),
    ([], ("to_train", {"train_source": "train.txt", "val_source": "val.txt"})),
]
SOURCES = {"early-features": CAFFENET,    # TINY's head reads a sum: an earlier cut
           "to_train": CAFFENET_DEPLOY}


def test_every_registered_pass_is_covered():
    assert {call[0] for _, call in CALLS} == set(PASSES.names())


@pytest.mark.parametrize("before,call", CALLS, ids=[f"{c[0]}-{i}" for i, (_, c) in
                                                     enumerate(CALLS)])
def test_second_run_says_why_nothing_changed(before, call):
    source = SOURCES.get(call[1].get("name", call[0]), TINY)
    start = prototxt_tools.edit(str(source), before).text if before else str(source)
    once = prototxt_tools.edit(start, [call])
    assert once.changed and once.changes, call
    assert not any(n.startswith(NOTHING) for n in once.notes), once.notes
    again = prototxt_tools.edit(once.text, [call])
    assert not again.changed and not again.changes
    assert any(n.startswith(NOTHING) for n in again.notes), (call, again.notes)
