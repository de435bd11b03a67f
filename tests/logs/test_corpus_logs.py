"""Every corpus training log parses; the CSV matches a reference extraction written here
(plain regexes over the raw lines, independent of ptx's parser)."""
from __future__ import annotations

import csv
import io
import math
import re

import pytest

from corpus import params
from prototxt_tools.logs import load_log
from prototxt_tools.logs.csvfiles import csv_tables, csv_text

_ITER = re.compile(r"\] Iteration (\d+)(?: \([^)]*\))?, loss = ")
_TESTING = re.compile(r"\] Iteration (\d+), Testing net \(#(\d+)\)")
_OUT = re.compile(r"\] +(Train|Test) net output #\d+: (\S+) = (\S+)")
_LR = re.compile(r"\] Iteration (\d+), lr = (\S+)")


def reference(path):
    """(train, test, lrs): train/test = [(iteration, name, value)] in file order."""
    train, test, lrs = [], [], {}
    train_iter = test_iter = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if _ITER.search(line):
                train_iter = int(_ITER.search(line).group(1))
            elif _TESTING.search(line):
                test_iter = int(_TESTING.search(line).group(1))
            elif _OUT.search(line):
                kind, name, value = _OUT.search(line).groups()
                target = (train, train_iter) if kind == "Train" else (test, test_iter)
                target[0].append((target[1], name, float(value)))
            elif _LR.search(line):
                iteration, value = _LR.search(line).groups()
                lrs.setdefault(int(iteration), float(value))
    return train, test, lrs


def from_csv(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    out = []
    for row in rows:
        for name, value in row.items():
            if name not in ("NumIters", "Seconds", "LearningRate") and value != "":
                out.append((int(row["NumIters"]), name, float(value)))
    return rows, out


def same(a, b):
    return all(x[:2] == y[:2] and (x[2] == y[2] or (math.isnan(x[2]) and math.isnan(y[2])))
               for x, y in zip(a, b)) and len(a) == len(b)


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("log"), indirect=True)
def test_corpus_log_parses_and_matches_reference(corpus_file):
    log = load_log(str(corpus_file.path))
    train, test, lrs = reference(corpus_file.path)
    tables = {k: csv_text(v) for k, v in csv_tables(log).items()}
    train_rows, train_values = from_csv(tables.get("train", "NumIters\n"))
    _test_rows, test_values = from_csv(tables.get("test", "NumIters\n"))
    assert same(train_values, train)
    assert same(test_values, test)
    for row in train_rows:   # each display carries the rate printed for its own iteration
        iteration = int(row["NumIters"])
        if iteration in lrs and len(log.runs) == 1:
            assert float(row["LearningRate"]) == lrs[iteration]
    if not train and not test:   # no iteration at all: the log must say why it stopped
        assert log.fatal or log.runs


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("log"), indirect=True)
def test_corpus_log_runs_and_endings(corpus_file):
    log = load_log(str(corpus_file.path))
    notes = corpus_file.notes
    ends = [run.end for run in log.runs]
    if "completed (Optimization Done)" in notes:
        assert "completed" in ends
    if "crashed" in notes:
        assert any(run.fatal for run in log.runs)
        assert all(run.fatal.startswith(("F", "***")) or "error while" in run.fatal
                   for run in log.runs if run.fatal)
    if "no Optimization Done" in notes:
        assert "completed" not in ends
