"""Net::FilterNet / StateMeetsRule semantics (caffe_semantics.md §1)."""
from __future__ import annotations

import pytest

from prototxt_tools.graph import (NetState, filter_layers, include_and_exclude_problems,
                                  layer_included, net_state, rule_met, solver_net_state)
from prototxt_tools.net import Net, Solver
from prototxt_tools.syntax import parse


def _layer(rules: str):
    net = Net(parse(f'layer {{ name: "x" type: "ReLU" bottom: "a" top: "a" {rules} }}'))
    return net.layers[0]


def _rule(text: str):
    return _layer(f"include {{ {text} }}").include[0]


@pytest.mark.parametrize("rule, state, met", [
    ("", NetState("TRAIN"), True),
    ("phase: TRAIN", NetState("TRAIN"), True),
    ("phase: TRAIN", NetState("TEST"), False),
    ("phase: 1", NetState("TEST"), True),
    ("min_level: 2", NetState("TEST", 1), False),
    ("min_level: 2", NetState("TEST", 2), True),
    ("max_level: 2", NetState("TEST", 3), False),
    ("max_level: 2", NetState("TEST", -5), True),
    ('stage: "a" stage: "b"', NetState("TEST", 0, ("a",)), False),
    ('stage: "a" stage: "b"', NetState("TEST", 0, ("b", "c", "a")), True),
    ('not_stage: "a"', NetState("TEST", 0, ("a",)), False),
    ('not_stage: "a"', NetState("TEST", 0, ("b",)), True),
    ('phase: TEST stage: "a"', NetState("TRAIN", 0, ("a",)), False),
    ('phase: TEST stage: "a" not_stage: "b"', NetState("TEST", 0, ("a", "b")), False),
    ('phase: TEST stage: "a" not_stage: "b"', NetState("TEST", 0, ("a",)), True),
])
def test_rule_fields_are_anded(rule, state, met):
    assert rule_met(_rule(rule), state) is met


def test_include_rules_are_ored():
    layer = _layer('include { phase: TRAIN } include { stage: "val" }')
    assert layer_included(layer, NetState("TRAIN"))
    assert layer_included(layer, NetState("TEST", 0, ("val",)))
    assert not layer_included(layer, NetState("TEST"))


def test_exclude_rules_are_ored_and_no_rules_means_included():
    layer = _layer('exclude { phase: TEST } exclude { min_level: 3 }')
    assert layer_included(layer, NetState("TRAIN", 2))
    assert not layer_included(layer, NetState("TRAIN", 3))
    assert not layer_included(layer, NetState("TEST"))
    assert layer_included(_layer(""), NetState("TEST"))


def test_include_and_exclude_together_is_reported_and_needs_both_to_agree():
    net = Net(parse('layer { name: "both" type: "ReLU" bottom: "a" top: "a" '
                    'include { phase: TRAIN } exclude { stage: "x" } }'))
    problems = include_and_exclude_problems(net, "n.prototxt")
    assert [(p.code, p.line, p.path) for p in problems] == [("PTX103", 1, "n.prototxt")]
    assert "Specify either include rules or exclude rules; not both." in problems[0].message
    layer = net.layers[0]
    assert layer_included(layer, NetState("TRAIN"))
    assert not layer_included(layer, NetState("TRAIN", 0, ("x",)))
    assert not layer_included(layer, NetState("TEST"))


NET_WITH_STATE = '''
state { phase: TRAIN level: 2 stage: "file" }
layer { name: "always" type: "ReLU" bottom: "a" top: "a" }
layer { name: "train" type: "ReLU" bottom: "a" top: "a" include { phase: TRAIN } }
layer { name: "file_stage" type: "ReLU" bottom: "a" top: "a" include { stage: "file" } }
layer { name: "deep" type: "ReLU" bottom: "a" top: "a" include { min_level: 2 } }
'''


def _names(layers):
    return [layer.name for layer in layers]


def test_net_state_defaults_and_overrides_like_caffe_net_constructor():
    net = Net(parse(NET_WITH_STATE))
    assert net.state == NetState("TRAIN", 2, ("file",))
    assert Net(parse("")).state == NetState("TEST", 0, ())
    as_written = net_state(net)
    assert _names(filter_layers(net, as_written)) == ["always", "train", "file_stage", "deep"]
    requested = net_state(net, "TEST", 0, ("extra",))
    assert requested == NetState("TEST", 0, ("file", "extra"))
    assert _names(filter_layers(net, requested)) == ["always", "file_stage"]


def test_solver_states_merge_net_state_then_solver_state():
    net = Net(parse(NET_WITH_STATE))
    solver = Solver(parse('train_state { level: 0 stage: "s" } test_state { stage: "t" }'))
    train = solver_net_state(net, "TRAIN", solver.train_state)
    assert train == NetState("TRAIN", 0, ("file", "s"))
    # the net's own state {} says TRAIN, and MergeFrom lets it override the solver's TEST start
    test = solver_net_state(net, "TEST", solver.test_state[0])
    assert test == NetState("TRAIN", 2, ("file", "t"))
