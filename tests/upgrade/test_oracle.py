"""ptx upgrade against Caffe's own ``upgrade_net_proto_text`` / ``upgrade_solver_proto_text``.

Both outputs are parsed with protobuf's text_format against our schema and compared
layer by layer, field by field.  The Caffe tools come from tools/build-caffe.sh
(upstream BVLC Caffe, ``${PTX_CAFFE_PREFIX:-~/.cache/ptx/caffe}/bin``); without them the tests skip and say so.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from corpus import params
from prototxt_tools.syntax import ParseError, parse
from prototxt_tools.upgrade import upgrade_text
from .test_steps import CASES

pytestmark = pytest.mark.oracle

PREFIX = Path(os.environ.get("PTX_CAFFE_PREFIX", Path.home() / ".cache" / "ptx" / "caffe"))
NET_TOOL = PREFIX / "bin" / "upgrade_net_proto_text"
SOLVER_TOOL = PREFIX / "bin" / "upgrade_solver_proto_text"

# Corpus files where ptx's result differs from Caffe's on purpose, with the reason.
# (Fields Caffe drops are kept by ptx only as comments, so they do not differ.)
KNOWN_DIFFERENCES = {}

# Hand-written cases (tests/upgrade/test_steps.py) where ptx differs from the built Caffe on
# purpose: case id -> (the differences expected, reason).  None against upstream BVLC: its
# UpgradeNetBatchNorm keeps the three BatchNorm param specs with lr_mult 0 / decay_mult 0, as
# ptx does (the clearing once recorded here was the brocolli fork's, not an older BVLC's).
KNOWN_CASE_DIFFERENCES = {}

OLD_NETS = [p for p in params("net") if p.values[0] is None or p.values[0].format in ("v0", "v1")]
OLD_SOLVERS = [p for p in params("solver")
               if p.values[0] is None or "solver_type" in p.values[0].path.read_text("utf-8")]


@pytest.fixture(scope="module")
def classes():
    pytest.importorskip("google.protobuf")
    from prototxt_tools.schema import descriptor_pool_for
    return descriptor_pool_for(None)


def _tool(path: Path) -> Path:
    if not os.access(path, os.X_OK):
        message = (f"Caffe's {path.name} not found at {path} (build it with tools/build-caffe.sh, "
                   "or set PTX_CAFFE_PREFIX)")
        if os.environ.get("CI"):  # .ci/run builds Caffe first: a missing tool is a failure
            pytest.fail(message)
        pytest.skip(message)
    return path


def _run_caffe(tool: Path, source: Path, tmp_path: Path) -> str:
    out = tmp_path / "caffe.prototxt"
    proc = subprocess.run([str(tool), str(source), str(out)], capture_output=True, text=True,
                          env=dict(os.environ, GLOG_logtostderr="1"), timeout=60)
    if "Failed to parse" in proc.stderr or not out.exists():
        pytest.skip(f"Caffe cannot read this file: {proc.stderr.strip().splitlines()[-1:]}")
    return out.read_text(encoding="utf-8")


def _ptx(corpus_file) -> str:
    text = corpus_file.path.read_text(encoding="utf-8")
    try:
        parse(text)
    except ParseError as exc:
        pytest.skip(f"not parseable as it stands ({exc})")
    return upgrade_text(text, corpus_file.rel).text


def _differences(expected, actual) -> list:
    """Names of the fields whose values differ, one level of detail per layer."""
    found = []
    for name in sorted({f.name for f, _ in expected.ListFields()} |
                       {f.name for f, _ in actual.ListFields()}):
        if name == "layer":
            continue
        if getattr(expected, name) != getattr(actual, name):
            found.append(f"net.{name}")
    if len(expected.layer) != len(actual.layer):
        found.append(f"layer count {len(expected.layer)} (Caffe) != {len(actual.layer)} (ptx)")
    for i, (want, got) in enumerate(zip(expected.layer, actual.layer)):
        if want != got:
            fields = {f.name for f, _ in want.ListFields()} | {f.name for f, _ in got.ListFields()}
            bad = sorted(n for n in fields if _field(want, n) != _field(got, n))
            found.append(f"layer {i} ({want.name}): {', '.join(bad)}")
    return found


def _field(message, name):
    value = getattr(message, name)
    return list(value) if hasattr(value, "__len__") and not isinstance(value, str) else value


def _both(tool: Path, source: Path, ours: str, type_name: str, classes, tmp_path: Path):
    theirs = _run_caffe(_tool(tool), source, tmp_path)
    return classes.parse_text(type_name, theirs), classes.parse_text(type_name, ours)


@pytest.mark.parametrize("corpus_file", OLD_NETS, indirect=True)
def test_net_upgrade_matches_caffe(corpus_file, classes, tmp_path):
    _tool(NET_TOOL)
    expected, actual = _both(NET_TOOL, corpus_file.path, _ptx(corpus_file), "caffe.NetParameter",
                             classes, tmp_path)
    differences = _differences(expected, actual)
    if corpus_file.rel in KNOWN_DIFFERENCES:
        assert differences, "listed as a known difference but now equal: remove it from the list"
        pytest.xfail(KNOWN_DIFFERENCES[corpus_file.rel])
    assert differences == []


@pytest.mark.parametrize("corpus_file", OLD_SOLVERS, indirect=True)
def test_solver_upgrade_matches_caffe(corpus_file, classes, tmp_path):
    _tool(SOLVER_TOOL)
    expected, actual = _both(SOLVER_TOOL, corpus_file.path, _ptx(corpus_file),
                             "caffe.SolverParameter", classes, tmp_path)
    assert actual == expected


@pytest.mark.parametrize("name, source", [(c[0], c[1]) for c in CASES], ids=[c[0] for c in CASES])
def test_hand_written_cases_match_caffe(name, source, classes, tmp_path):
    solver = name.startswith("solver")
    tool, type_name = (SOLVER_TOOL, "caffe.SolverParameter") if solver else \
        (NET_TOOL, "caffe.NetParameter")
    _tool(tool)
    path = tmp_path / "in.prototxt"
    with open(path, "w", encoding="utf-8", newline="") as fh:  # Path.write_text(newline=) is 3.10+
        fh.write(source)
    expected, actual = _both(tool, path, upgrade_text(source).text, type_name, classes, tmp_path)
    if solver:
        assert actual == expected
        return
    differences = _differences(expected, actual)
    if name in KNOWN_CASE_DIFFERENCES:
        assert differences == KNOWN_CASE_DIFFERENCES[name][0]
        pytest.xfail(KNOWN_CASE_DIFFERENCES[name][1])
    assert differences == []
