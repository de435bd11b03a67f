"""The real `pre-commit try-repo` against this repository: a good net passes, a broken one fails.

try-repo clones the repository at a commit and pip-installs it into a hook
environment, so this test needs git, pre-commit and network access to the
package index (slow: it is marked ``slow``; under CI it must run).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from corpus import REPO

GOOD = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
layer { name: "relu" type: "ReLU" bottom: "data" top: "data" }
'''
BAD = GOOD + 'layer { name: "flat" type: "Flatten" bottom: "missing" top: "flat" }\n'


def _need(tool: str, found: bool) -> None:
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required (pip install pre-commit)")
        pytest.skip(f"{tool} not installed")


def _have_pre_commit() -> bool:
    """pre-commit importable by the interpreter running the tests: a fresh clone's CI runs
    .venv/bin/python without activating the venv, so its bin dir is not on PATH."""
    return importlib.util.find_spec("pre_commit") is not None


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(workdir, hook: str, *files):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                          text=True, check=True).stdout.strip()
    env = dict(os.environ, PRE_COMMIT_HOME=str(workdir.parent / "pre-commit-home"))
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--ref", head,
                           "--files", *files], cwd=workdir, capture_output=True, text=True,
                          env=env, timeout=900)


@pytest.mark.slow
def test_pre_commit_hook_passes_good_and_fails_bad(tmp_path):
    _need("git", shutil.which("git") is not None)
    _need("pre-commit", _have_pre_commit())
    work = tmp_path / "user-repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "good.prototxt").write_text(GOOD)
    (work / "bad.prototxt").write_text(BAD)
    _git(work, "add", "good.prototxt", "bad.prototxt")
    good = _try_repo(work, "ptx-lint", "good.prototxt")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    bad = _try_repo(work, "ptx-lint", "bad.prototxt")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Unknown bottom blob 'missing'" in bad.stdout and "PTX101" in bad.stdout


def test_hooks_file_matches_readme_contract():
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "- id: ptx-lint\n" in text and "- id: ptx-lint-fix\n" in text
    assert text.count(r"files: \.prototxt$") == 2
