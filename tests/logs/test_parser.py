"""Parser details: runs, resumes, several test nets, iter/s timing, iter_size, truncation."""
from __future__ import annotations

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.logs import parse_log_text
from prototxt_tools.logs.csvfiles import csv_tables, csv_text

from .synth import LogWriter, curve_log


def test_two_test_nets_do_not_collide():
    writer = LogWriter().header()
    writer.test(0, {"accuracy": 0.1}, net=0).test(0, {"accuracy": 0.9}, net=1)
    writer.train(0, {"loss": 2.0}, 0.01)
    log = parse_log_text(writer.text())
    assert log.test[0][0].outputs == {"accuracy": 0.1}
    assert log.test[1][0].outputs == {"accuracy": 0.9}
    assert set(csv_tables(log)) == {"train", "test", "test1"}


def test_rate_of_a_row_is_its_own_iteration():
    log = parse_log_text(curve_log([3, 2, 1, 1], lrs=[0.1, 0.1, 0.01, 0.01]).text())
    assert [r.lr for r in log.train] == [0.1, 0.1, 0.01, 0.01]
    assert log.lr_changes() == [(40, 0.1, 0.01)]


def test_resumed_second_run_and_iter_size():
    writer = curve_log([3, 2]).done()
    writer.header(iter_size=4)
    writer.glog("Resuming from snap_iter_20.solverstate", "caffe.cpp:209")
    writer.train(20, {"loss": 1.5}, 0.01)
    log = parse_log_text(writer.text())
    assert [r.end for r in log.runs] == ["completed", "incomplete"]
    assert log.runs[1].resumed_from == "snap_iter_20.solverstate"
    assert log.runs[1].iter_size == 4 and log.runs[1].first_iteration == 20
    assert [r.run for r in log.train] == [0, 0, 1]


def test_newer_iteration_line_with_speed():
    writer = LogWriter().header()
    writer.glog("Iteration 100 (4.5 iter/s, 4.4s/20 iters), loss = 0.75")
    writer.glog("    Train net output #0: loss = 0.7 (* 1 = 0.7 loss)", "solver.cpp:244")
    log = parse_log_text(writer.text())
    assert log.train[0].iteration == 100 and log.train[0].loss == 0.75
    assert log.runs[0].iter_per_second == [4.5]


def test_truncated_mid_line_parses_up_to_there():
    text = curve_log([3, 2, 1]).text()
    cut = text[: text.rindex("Train net output") + 12]
    log = parse_log_text(cut)
    assert [r.iteration for r in log.train] == [0, 20, 40]
    assert log.train[-1].outputs == {}
    assert "40" not in csv_text(csv_tables(log)["train"]).split("\n")[-2].split(",")[0]


def test_no_test_lines_gives_train_table_only():
    log = parse_log_text(curve_log([3, 2, 1]).text())
    assert list(csv_tables(log)) == ["train"]


@pytest.mark.parametrize("text", ["", "   \n", "hello world\nnot a log\n", "layer { name: 'x' }"])
def test_not_a_log(text):
    with pytest.raises(PtxError):
        parse_log_text(text, "x.log")
