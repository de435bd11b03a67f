"""Diagnosis rules on synthetic logs: each rule fires on its curve and stays quiet on a healthy one."""
from __future__ import annotations

import math

from prototxt_tools.logs import parse_log_text
from prototxt_tools.logs.rules import diagnose

from .synth import LogWriter, curve_log


def codes(writer):
    return [f.name for f in diagnose(parse_log_text(writer.text(), "t.log"))]


def healthy(n=60):
    return [4.0 * math.exp(-k / 12) + 0.5 for k in range(n)]


def test_healthy_run_has_no_finding():
    tests = {k * 200: {"accuracy": 0.3 + 0.05 * k, "loss": 2.5 - 0.15 * k} for k in range(6)}
    assert codes(curve_log(healthy(), tests=tests).done()) == []


def test_loss_stuck_at_87_3365_is_named():
    losses = healthy(10) + [87.3365] * 10
    findings = diagnose(parse_log_text(curve_log(losses).text(), "t.log"))
    floor = [f for f in findings if f.name == "loss-floor"]
    assert floor and floor[0].iteration == 200
    assert any("base_lr" in a for a in floor[0].advice)
    assert any("labels" in a for a in floor[0].advice)


def test_loss_floor_with_loss_weight_multiple():
    writer = curve_log(healthy(10) + [1746.73] * 5)
    assert "loss-floor" in codes(writer)


def test_nan_kept_and_reported_with_its_iteration():
    losses = healthy(10) + ["nan", "-nan", "inf"]
    log = parse_log_text(curve_log(losses).text(), "t.log")
    assert math.isnan(log.train[10].outputs["loss"]) and math.isinf(log.train[12].outputs["loss"])
    nan = [f for f in diagnose(log) if f.name == "nan-loss"]
    assert nan and nan[0].iteration == 200 and "lr 0.01" in nan[0].message


def test_divergence():
    losses = healthy(20)[:20] + [1.0 * (1.15 ** k) for k in range(25)]
    assert "divergence" in codes(curve_log(losses))


def test_plateau_suggests_a_stepsize():
    losses = [4.0 - 0.1 * k for k in range(30)] + [1.0] * 60
    findings = diagnose(parse_log_text(curve_log(losses).text(), "t.log"))
    plateau = [f for f in findings if f.name == "plateau"]
    assert plateau
    step = int(plateau[0].advice[0].split("stepsize: ")[1].split()[0])
    assert 500 <= step <= 700   # flattened at display ~30 = iteration ~600


def test_not_learning_at_chance_level():
    losses = [7.4] + [6.9078] * 40
    findings = diagnose(parse_log_text(curve_log(losses).text(), "t.log"))
    stalled = [f for f in findings if f.name == "not-learning"]
    assert stalled and "1000 classes" in stalled[0].message
    assert "plateau" not in [f.name for f in findings]


def test_flat_accuracy_while_loss_falls():
    tests = {k * 200: {"accuracy": 0.101, "loss": 2.3} for k in range(6)}
    assert "flat-accuracy" in codes(curve_log(healthy(), tests=tests))


def test_overfitting_gap_grows():
    tests = {k * 200: {"accuracy": 0.5, "loss": 1.2 + max(0, k - 1) * 0.4} for k in range(6)}
    assert "overfitting" in codes(curve_log(healthy(), tests=tests))


def test_crash_quotes_fatal_line_and_known_fix():
    writer = curve_log(healthy(5))
    writer.glog("Check failed: error == cudaSuccess (2 vs. 0)  out of memory", "syncedmem.cpp:56",
                level="F")
    writer.lines.append("*** Check failure stack trace: ***")
    log = parse_log_text(writer.text(), "t.log")
    assert log.runs[0].end == "crashed" and "out of memory" in log.fatal
    crash = [f for f in diagnose(log) if f.name == "crash"][0]
    assert "iter_size" in crash.advice[0] and crash.iteration == 80


def test_rules_quiet_on_tiny_logs():
    assert codes(curve_log([1.0, 2.0])) == []
    assert codes(LogWriter().header()) == []
