"""The strategy table and the solver arithmetic."""
from __future__ import annotations

import math

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.finetuning.decide import (LARGE_FROM, OPTIMIZERS, SMALL_BELOW, choose_strategy,
                                            plan_solver, size_of, strategy_passes)


@pytest.mark.parametrize("per_class, similar, expected", [
    (SMALL_BELOW - 1, True, "feature-extractor"),
    (SMALL_BELOW - 1, False, "early-features"),
    (SMALL_BELOW, True, "freeze-fraction"),
    (SMALL_BELOW, False, "fine-tune-all"),
    (LARGE_FROM, True, "fine-tune-all"),
    (LARGE_FROM, False, "from-scratch"),
])
def test_the_four_scenarios(per_class, similar, expected):
    decision = choose_strategy(per_class * 5, 5, similar, None)
    assert decision.value == expected
    assert f"{per_class} per class" in decision.reason


def test_similarity_unknown_is_assumed_similar_and_said_so():
    decision = choose_strategy(30, 3, None, None)
    assert decision.value == "feature-extractor" and "assumed" in decision.reason


def test_a_given_strategy_wins_and_unknown_ones_are_refused():
    assert choose_strategy(30, 3, True, "fine-tune-all").value == "fine-tune-all"
    assert choose_strategy(30, 3, True, "early-features=conv3").value == "early-features=conv3"
    with pytest.raises(PtxError, match="unknown --strategy"):
        choose_strategy(30, 3, True, "freeze-everything")


def test_strategy_passes():
    assert strategy_passes("freeze-fraction") == [("freeze_fraction", {"fraction": 0.5})]
    assert strategy_passes("early-features=conv3") == [
        ("strategy", {"name": "early-features", "layer": "conv3"})]


def test_sizes():
    assert [size_of(n, 1) for n in (1, SMALL_BELOW, LARGE_FROM)] == ["small", "medium", "large"]


@pytest.mark.parametrize("train, val, batch, epochs", [(1000, 250, 32, 10), (12, 6, 32, 3),
                                                       (50000, 5000, 64, 1), (7, 7, 7, 2)])
def test_solver_arithmetic(train, val, batch, epochs):
    plan = plan_solver("SGD", train, val, batch, epochs)
    assert plan.batch == min(batch, train) and plan.test_batch == min(batch, val)
    assert plan.iters_per_epoch == math.ceil(train / plan.batch)
    assert plan.max_iter == plan.iters_per_epoch * epochs
    assert plan.test_iter == math.ceil(val / plan.test_batch)
    assert plan.test_iter * plan.test_batch >= val > (plan.test_iter - 1) * plan.test_batch
    assert 0 < plan.stepsize < plan.max_iter or plan.max_iter == 1
    assert plan.base_lr == 0.001


def test_each_optimizer_gets_its_own_rate_and_fields():
    for name, (lr, extra) in OPTIMIZERS.items():
        plan = plan_solver(name, 100, 10, 10, 1)
        assert plan.base_lr == lr and plan.extra == extra
    assert plan_solver("Adam", 100, 10, 10, 1, base_lr=0.5).base_lr == 0.5
    with pytest.raises(PtxError, match="unknown --optimizer"):
        plan_solver("LBFGS", 100, 10, 10, 1)
    with pytest.raises(PtxError, match="positive"):
        plan_solver("SGD", 100, 10, 0, 1)
