"""Which layers exist in a given phase/level/stage: Caffe's Net::FilterNet, exactly.

Rules: several ``include``/``exclude`` blocks are ORed, fields inside one
block are ANDed, a field that is not written is not tested (caffe_semantics.md §1).

Include and exclude on one layer: Caffe aborts in FilterNet ("Specify either
include rules or exclude rules; not both."), so no state is "right" for it.
ptx reports PTX103 (see ``include_and_exclude_problems``) and, to keep
analysing the rest of the net, includes such a layer when an include rule is
met and no exclude rule is — the reading that needs both blocks to agree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

from ..net.coerce import as_phase
from ..problems import Problem

TRAIN = "TRAIN"
TEST = "TEST"
BOTH_RULES_MESSAGE = "Specify either include rules or exclude rules; not both."
HINT = " -- "  # graph problems: Caffe's exact text first, ptx's hints after this separator


@dataclass(frozen=True)
class NetState:
    """caffe.NetState: ``phase`` defaults to TEST (caffe.proto), level 0, no stages."""

    phase: str = TEST
    level: int = 0
    stages: Tuple[str, ...] = ()

    def merge_from(self, message) -> "NetState":
        """protobuf MergeFrom of a ``state {}``-like message node: written scalars
        overwrite, ``stage`` lists concatenate.  ``None`` leaves the state as is."""
        if message is None:
            return self
        phase = message.scalar("phase")
        level = message.scalar("level")
        return NetState(self.phase if phase is None else as_phase(phase),
                        self.level if level is None else level,
                        self.stages + tuple(str(s) for s in message.scalars("stage")))


def net_state(net, phase: Optional[str] = None, level: int = 0,
              stages: Tuple[str, ...] = ()) -> NetState:
    """The state ``Net(file, phase, level, stages)`` uses (pycaffe, ``caffe test``):
    the file's ``state {}`` with phase and level overwritten and stages appended.
    ``phase=None`` is ``Net(NetParameter)``: the file's state as written."""
    own = net.state
    if phase is None:
        return own
    return replace(own, phase=phase, level=level, stages=own.stages + tuple(stages))


def solver_net_state(net, phase: str, solver_state=None) -> NetState:
    """The state a solver gives its train (TRAIN) or test (TEST) net (solver.cpp):
    ``phase``, then MergeFrom the net's ``state {}``, then MergeFrom the
    solver's ``train_state``/``test_state`` message node."""
    return NetState(phase).merge_from(net.state_node).merge_from(solver_state)


def rule_met(rule, state: NetState) -> bool:
    """StateMeetsRule: every field written in the rule must hold."""
    if rule.phase is not None and rule.phase != state.phase:
        return False
    if rule.min_level is not None and state.level < rule.min_level:
        return False
    if rule.max_level is not None and state.level > rule.max_level:
        return False
    if any(stage not in state.stages for stage in rule.stages):
        return False
    return not any(stage in state.stages for stage in rule.not_stages)


def layer_included(layer, state: NetState) -> bool:
    """FilterNet for one layer: no include rules → in unless an exclude rule is met;
    include rules → in if any is met (and, for the invalid both-kinds case, no exclude is)."""
    include, exclude = layer.include, layer.exclude
    if exclude and any(rule_met(rule, state) for rule in exclude):
        return False
    return not include or any(rule_met(rule, state) for rule in include)


def filter_layers(net, state: NetState) -> list:
    """The net's layers that ``state`` keeps, in file order (Caffe never reorders)."""
    return [layer for layer in net.layers if not layer.has_rules or layer_included(layer, state)]


def include_and_exclude_problems(net, path: str = "") -> List[Problem]:
    """PTX103 for every layer with both kinds of rules (checked by Caffe before filtering)."""
    problems = []
    for layer in net.layers:
        if layer.has_rules and layer.include and layer.exclude:
            problems.append(Problem.at(path, layer.node, "PTX103", "include-and-exclude",
                                       f"{BOTH_RULES_MESSAGE}{HINT}layer '{layer.name}'"))
    return problems


def states_to_check(net) -> List[NetState]:
    """Every state a net is checked in, by edit verification and lint alike.

    ``Net(file, TRAIN)`` and ``Net(file, TEST)``, each also with every stage a
    rule names on its own (a ``not_stage`` too: passing it drops layers) and with
    each ``include``/``exclude`` block's whole stage list, which is the only state
    that builds a layer needing ``stage: "a" stage: "b"``.  Sorted by stage list
    (no stages first), TRAIN before TEST."""
    stage_sets = {()}
    for layer in net.layers:
        for rule in list(layer.include) + list(layer.exclude):
            stage_sets.update((stage,) for stage in list(rule.stages) + list(rule.not_stages))
            stage_sets.add(tuple(rule.stages))
    return [net_state(net, phase, 0, stages)
            for stages in sorted(stage_sets) for phase in (TRAIN, TEST)]
