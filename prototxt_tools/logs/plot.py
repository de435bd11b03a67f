"""Curves of a training log with matplotlib (optional: ``pip install prototxt-tools[plot]``).

``figure(log)`` returns the Figure so tests inspect axes and series; ``save_plot``
writes png/svg/pdf.  Panels: losses (train outputs, Caffe's smoothed loss, test
losses), other outputs (accuracy...) when there are any, and the learning rate.
Every jump of the rate is a dashed vertical line (gid ``lr-change``) on every panel.
"""
from __future__ import annotations

import math
import os

from ..errors import PtxError

FORMATS = ("png", "svg", "pdf")
INSTALL_HINT = "plots need matplotlib: install prototxt-tools[plot]"


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise PtxError(INSTALL_HINT) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def figure(log):
    """The matplotlib Figure of ``log``; PtxError when there is no training iteration."""
    if not log.train and not any(log.test.values()):
        raise PtxError("no training or test iterations in this log: nothing to plot", log.path)
    plt = _pyplot()
    metrics = _metric_series(log)
    panels = 3 if metrics else 2
    fig, axes = plt.subplots(panels, 1, sharex=True, figsize=(9, 2.6 * panels + 1),
                             gridspec_kw={"height_ratios": [3] * (panels - 1) + [1.4]})
    _plot_series(axes[0], _loss_series(log), "loss", log=True)
    if metrics:
        _plot_series(axes[1], metrics, "outputs")
    _plot_lr(axes[-1], log)
    for ax in axes:
        for iteration, _old, _new in log.lr_changes():
            ax.axvline(iteration, color="0.45", linestyle="--", linewidth=0.8, gid="lr-change")
    axes[-1].set_xlabel("iteration")
    fig.suptitle(os.path.basename(log.path))
    fig.tight_layout()
    return fig


def save_plot(log, path: str) -> None:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise PtxError(f"unknown plot format '.{ext}' (use {', '.join(FORMATS)}, "
                       f"or --csv/--json for data)", path)
    fig = figure(log)
    try:
        fig.savefig(path, format=ext, dpi=110)
    except OSError as exc:
        raise PtxError(f"cannot write: {exc.strerror}", path) from None
    finally:
        _pyplot().close(fig)


def _loss_series(log):
    series = []
    if any(r.loss is not None for r in log.train):
        points = [(r.iteration, r.loss) for r in log.train if r.loss is not None]
        series.append(("train loss (smoothed)", points))
    for name in log.loss_names(log.train):
        series.append((f"train {name}", _points(log, log.train, name)))
    for net, rows in sorted(log.test.items()):
        for name in log.loss_names(rows):
            series.append((f"test#{net} {name}", _points(log, rows, name)))
    return series


def _metric_series(log):
    series = []
    losses = set(log.loss_names(log.train))
    series += [(f"train {n}", _points(log, log.train, n)) for n in log.train_names()
               if n not in losses]
    for net, rows in sorted(log.test.items()):
        losses = set(log.loss_names(rows))
        series += [(f"test#{net} {n}", _points(log, rows, n)) for n in log.test_names(net)
                   if n not in losses]
    return series


def _points(log, rows, name):
    xs, ys = log.series(rows, name)
    return list(zip(xs, ys))


def _plot_series(ax, series, ylabel: str, log: bool = False) -> None:
    for label, points in series:
        finite = [(x, y) for x, y in points if math.isfinite(y)]
        style = "o-" if len(finite) < 40 else "-"
        ax.plot([p[0] for p in finite], [p[1] for p in finite], style, markersize=3,
                linewidth=1, label=label)
        bad = [x for x, y in points if not math.isfinite(y)]
        if bad:   # NaN/inf: marks on the top edge, so they are seen and not dropped
            ax.plot(bad, [1.0] * len(bad), "x", color="red", transform=ax.get_xaxis_transform(),
                    label=f"{label}: NaN/inf", gid="nan-marks")
    ax.set_ylabel(ylabel)
    if log and all(y > 0 for _, pts in series for _, y in pts if math.isfinite(y)) and series:
        ax.set_yscale("log")
    if series:
        ax.legend(fontsize="small", loc="best")
    ax.grid(True, alpha=0.3)


def _plot_lr(ax, log) -> None:
    points = [(r.iteration, r.lr) for r in log.train if r.lr is not None and math.isfinite(r.lr)]
    if points:
        ax.step([p[0] for p in points], [p[1] for p in points], where="post", linewidth=1,
                label="learning rate")
        if all(p[1] > 0 for p in points):   # 1e-5 .. 1e-8 steps vanish on a linear axis
            ax.set_yscale("log")
    ax.set_ylabel("lr")
    ax.grid(True, alpha=0.3)
