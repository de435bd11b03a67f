"""Every output format of ``ptx show``, ``draw``, ``diff``, ``log`` and ``weights`` over the
corpus and over mutated files (issue 13 item 7: ``draw -o x.html`` raised TypeError on any
net with an unknown shape while .svg and .dot worked).  A command may succeed (0), find
differences or problems (1) or refuse bad input (2, one line on stderr): nothing else."""
from __future__ import annotations

import contextlib
import io
import random

import pytest

import test_fuzz
from corpus import REPO, files_of, params, require_corpus
from prototxt_tools.cli import main

WEIGHTS = REPO / "fixtures" / "finetune_demo" / "pretrained.caffemodel"
DEMO_NET = REPO / "fixtures" / "finetune_demo" / "deploy.prototxt"


def _run(argv) -> int:
    """The exit code; any exception but SystemExit fails the test with the command line."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code in (0, 1, 2), argv
    if code == 2:
        assert len(err.getvalue().strip().splitlines()) == 1, (argv, err.getvalue())
    return code


def _net_commands(path: str, out) -> list:
    return [["show", path], ["show", path, "--json"], ["show", path, "--shapes"],
            ["show", path, "--shapes", "--json"], ["show", path, "--phase", "TEST", "--shapes"],
            ["draw", path, "-o", str(out / "n.dot")], ["draw", path, "-o", str(out / "n.html")],
            ["draw", path, "-o", str(out / "n.html"), "--phase", "TEST", "--base", path],
            ["diff", path, path], ["diff", path, path, "--json"]]


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net"), indirect=True)
def test_corpus_net_in_every_format(corpus_file, tmp_path):
    for argv in _net_commands(str(corpus_file.path), tmp_path):
        _run(argv)


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("log"), indirect=True)
def test_corpus_log_in_every_format(corpus_file, tmp_path):
    path = str(corpus_file.path)
    for extra in ([], ["--json"], ["--format", "parsable"], ["--format", "json"],
                  ["--format", "sarif"], ["--format", "github"], ["--csv", str(tmp_path)],
                  ["-o", str(tmp_path / "plot.png")], ["-o", str(tmp_path / "plot.svg")]):
        _run(["log", path] + extra)


def test_weights_in_every_format(tmp_path):
    for argv in (["weights", str(WEIGHTS)], ["weights", str(WEIGHTS), "--json"],
                 ["show", str(DEMO_NET), "--weights", str(WEIGHTS)],
                 ["show", str(DEMO_NET), "--weights", str(WEIGHTS), "--json"],
                 ["draw", str(DEMO_NET), "-o", str(tmp_path / "w.html"), "--weights",
                  str(WEIGHTS)]):
        assert _run(argv) in (0, 1)


@pytest.mark.corpus
def test_mutated_files_in_every_format(tmp_path):
    """200 mutated nets, 20 mutated logs and 60 mutated caffemodels through the same
    commands (``test_fuzz`` mutations: mostly valid syntax with damaged values)."""
    seeds = test_fuzz._seeds()
    if len(seeds) < 20:
        require_corpus()
    rng = random.Random(test_fuzz.SEED)
    net = tmp_path / "fuzz.prototxt"
    for _ in range(200):
        net.write_bytes(test_fuzz._mutate(rng.choice(seeds), rng))
        for argv in _net_commands(str(net), tmp_path):
            _run(argv)
    logs = [f.path.read_bytes()[:60_000] for f in files_of("log")]
    log = tmp_path / "fuzz.log"
    for _ in range(20 if logs else 0):
        log.write_bytes(test_fuzz._mutate(rng.choice(logs), rng))
        for extra in ([], ["--json"], ["--format", "sarif"], ["--csv", str(tmp_path)],
                      ["-o", str(tmp_path / "plot.png")]):
            _run(["log", str(log)] + extra)
    weights, model = WEIGHTS.read_bytes(), tmp_path / "w.caffemodel"
    for _ in range(60):
        model.write_bytes(test_fuzz._mutate(weights, rng))
        for argv in (["weights", str(model)], ["weights", str(model), "--json"],
                     ["show", str(DEMO_NET), "--weights", str(model), "--json"],
                     ["draw", str(DEMO_NET), "-o", str(tmp_path / "w.html"), "--weights",
                      str(model)]):
            _run(argv)
