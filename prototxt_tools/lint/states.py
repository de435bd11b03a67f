"""Which states (phase, stages) a net is linted in.

Standalone, a net is linted in ``graph.state.states_to_check``: as Caffe builds it
for training and for testing, plus the stage sets its rules mention, so
stage-selected variants (train/val/deploy in one file) are each wired -- the
same states an edit is verified in.  Linted as a solver's net, it gets exactly the state the solver
gives it (phase, the net's ``state {}``, then ``train_state``/``test_state``).
States that keep the same layers give the same graph and are built once.
"""
from __future__ import annotations

from typing import List, Tuple

from ..graph import build_graph
from ..graph.state import NetState, filter_layers, solver_net_state, states_to_check


def states_for(net, role=None) -> List[NetState]:
    if role is not None:
        phase = "TRAIN" if role.role == "train" else "TEST"
        return [solver_net_state(net, phase, role.state_node)]
    states = states_to_check(net)
    fed = {state.phase for state in states if _has_source(net, state)}
    return [state for state in states if state.phase in fed] if len(fed) == 1 else states


def _has_source(net, state) -> bool:
    """Whether the net built in ``state`` has a layer with tops and no bottoms (a data
    layer, Input, DummyData...).  A net fed only in TEST (``MobileNetSSD_test.prototxt``,
    a solver's ``test_net``) is never built for training: linted alone, its TRAIN build
    would report every data top as an unknown bottom -- not what Caffe does with it."""
    return any(layer.tops and not layer.bottoms for layer in filter_layers(net, state))


def graphs_for(context) -> List[Tuple[NetState, object]]:
    """(state, graph) per distinct included-layer set, in ``states_for`` order."""
    net = context.the_net
    seen = set()
    out = []
    for state in states_for(net, context.role):
        included = tuple(layer.index for layer in filter_layers(net, state))
        if included in seen:
            continue
        seen.add(included)
        out.append((state, build_graph(net, state, context.path)))
    return out
