"""Test-suite setup: tests import shared helpers (``corpus``) from this folder.

Test folders are packages (``__init__.py``) so that modules in different
folders may share a basename: tests mirror the package layout.
"""
import os
import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import pytest  # noqa: E402

from corpus import require_corpus  # noqa: E402


@pytest.fixture
def corpus_file(request):
    """Indirect parameter over ``corpus.params(...)``: skips, or fails under CI,
    when the corpus is missing; otherwise the CorpusFile itself."""
    if request.param is None:
        require_corpus()
    return request.param


@pytest.fixture(scope="session")
def pycaffe():
    """Oracle tier: the PYTHONPATH entry of real pycaffe ("" when importable as is).

    Skips with the way to get it when there is none, and fails under CI,
    where .ci/run builds it first with tools/build-caffe.sh."""
    from prototxt_tools.caffe.runner import HOW_TO_GET, pycaffe_path
    found = pycaffe_path()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(HOW_TO_GET)
        pytest.skip(HOW_TO_GET)
    return found


def caffe_env(python_dir: str) -> dict:
    """Environment for a child process that imports pycaffe quietly."""
    env = dict(os.environ, GLOG_minloglevel="2")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (python_dir, env.get("PYTHONPATH")) if p)
    return env
