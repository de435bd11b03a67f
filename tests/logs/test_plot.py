"""Plots checked for content (panels, series, lr-change marks, NaN marks), not pixels."""
from __future__ import annotations

import pytest

from prototxt_tools.logs import parse_log_text

from .synth import curve_log

plot = pytest.importorskip("prototxt_tools.logs.plot")
pytest.importorskip("matplotlib", reason="matplotlib not installed (extra [plot])")


def _labels(ax):
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def test_panels_series_and_lr_marks():
    tests = {k * 200: {"accuracy": 0.2 + 0.1 * k, "loss": 2.0 - 0.2 * k} for k in range(4)}
    lrs = [0.1] * 20 + [0.01] * 20 + [0.001] * 20
    log = parse_log_text(curve_log([3 - k * 0.04 for k in range(60)], lrs=lrs, tests=tests).text(),
                         "run.log")
    fig = plot.figure(log)
    loss_ax, metric_ax, lr_ax = fig.axes
    assert loss_ax.get_ylabel() == "loss" and lr_ax.get_ylabel() == "lr"
    assert lr_ax.get_xlabel() == "iteration"
    assert _labels(loss_ax) == ["train loss (smoothed)", "train loss", "test#0 loss"]
    assert _labels(metric_ax) == ["test#0 accuracy"]
    for ax in fig.axes:
        marks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_gid() == "lr-change"]
        assert marks == [400, 800]
    xs, ys = lr_ax.get_lines()[0].get_data()
    assert list(ys[:1]) == [0.1] and ys[-1] == 0.001


def test_no_test_lines_still_plots_training_curve():
    log = parse_log_text(curve_log([3, 2.5, 2, 1.8]).text(), "t.log")
    fig = plot.figure(log)
    assert len(fig.axes) == 2
    assert _labels(fig.axes[0]) == ["train loss (smoothed)", "train loss"]
    assert list(fig.axes[0].get_lines()[1].get_ydata()) == [3, 2.5, 2, 1.8]


def test_nan_values_are_marked_not_dropped():
    log = parse_log_text(curve_log([3, 2, "nan", "nan"]).text(), "t.log")
    fig = plot.figure(log)
    nan_marks = [line for line in fig.axes[0].get_lines() if line.get_gid() == "nan-marks"]
    assert nan_marks and list(nan_marks[0].get_xdata()) == [40, 60]


def test_svg_file_has_the_series(tmp_path):
    log = parse_log_text(curve_log([3, 2.5, 2, 1.8], lrs=[0.1, 0.1, 0.01, 0.01]).text(), "t.log")
    target = tmp_path / "curves.svg"
    plot.save_plot(log, str(target))
    svg = target.read_text()
    assert svg.startswith("<?xml") and "lr-change" in svg and "train loss" in svg


def test_learning_rate_panel_is_log_scale():
    """Steps from 1e-5 to 1e-8 are visible (issue 13 item 14)."""
    lrs = [1e-5] * 10 + [1e-6] * 10 + [1e-7] * 10 + [1e-8] * 10
    log = parse_log_text(curve_log([3 - k * 0.05 for k in range(40)], lrs=lrs).text(), "run.log")
    lr_ax = plot.figure(log).axes[-1]
    assert lr_ax.get_yscale() == "log"
