"""ptx's CSV agrees with the CSV of Caffe's own tools/extra/parse_log.py for every corpus log.

parse_log.py is not part of ptx: ``tools/fetch-parse-log.sh`` puts it in
``$PTX_CAFFE_TOOLS`` (default ~/.cache/ptx/caffe-tools).  It is Python 2 code whose only
Python 3 obstacle is one ``print`` statement, patched in memory here.  Known, intended
differences: parse_log.py gives a display the rate printed at the *previous* display
(ptx: its own iteration's), drops NaN/inf rows, and drops an unfinished last row.
"""
from __future__ import annotations

import csv
import os
import sys
import types
from pathlib import Path

import pytest

from corpus import params
from prototxt_tools.logs import load_log
from prototxt_tools.logs.csvfiles import csv_tables, csv_text

TOOLS = Path(os.environ.get("PTX_CAFFE_TOOLS", Path.home() / ".cache" / "ptx" / "caffe-tools"))


@pytest.fixture(scope="module")
def parse_log_module():
    path = TOOLS / "parse_log.py"
    if not path.is_file():
        message = f"Caffe's parse_log.py not found in {TOOLS} (run tools/fetch-parse-log.sh)"
        if os.environ.get("CI"):  # .ci/run fetches it: missing there is a failure
            pytest.fail(message)
        pytest.skip(message)
    source = path.read_text().replace("print 'Wrote %s' % output_filename",
                                      "print('Wrote %s' % output_filename)")
    sys.path.insert(0, str(TOOLS))
    module = types.ModuleType("caffe_parse_log")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    yield module
    sys.path.remove(str(TOOLS))


def _their_csv(module, log_path, tmp_path):
    train, test = module.parse_log(str(log_path))
    module.save_csv_files(str(log_path), str(tmp_path), train, test, delimiter=",")
    out = {}
    for suffix in ("train", "test"):
        target = tmp_path / f"{log_path.name}.{suffix}"
        out[suffix] = list(csv.DictReader(target.open())) if target.exists() else []
    return out


def _ours(log):
    tables = csv_tables(log)
    return {s: list(csv.DictReader(csv_text(tables[s]).splitlines())) if s in tables else []
            for s in ("train", "test")}


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("log"), indirect=True)
def test_csv_agrees_with_parse_log(corpus_file, parse_log_module, tmp_path):
    log_path = corpus_file.path
    if not any("solver.cpp" in line for line in log_path.open(errors="replace")):
        pytest.skip("no solver lines: parse_log.py cannot read this log (no start time)")
    theirs = _their_csv(parse_log_module, log_path, tmp_path)
    ours = _ours(load_log(str(log_path)))
    for suffix in ("train", "test"):
        their_rows, our_rows = theirs[suffix], ours[suffix]
        assert len(our_rows) - len(their_rows) in (0, 1)  # they drop an unfinished last row
        assert list(their_rows[0].keys()) if their_rows else True
        for k, (their, our) in enumerate(zip(their_rows, our_rows)):
            assert list(their) == list(our)   # same columns, same order
            assert float(their["NumIters"]) == int(our["NumIters"])
            assert abs(float(their["Seconds"]) - float(our["Seconds"])) < 1e-6
            for name in list(their)[3:]:
                assert float(their[name]) == float(our[name]), (k, name)
            if suffix == "train" and 0 < k and float(our_rows[k - 1]["NumIters"]) < float(
                    our["NumIters"]):
                assert float(their["LearningRate"]) == float(our_rows[k - 1]["LearningRate"])
