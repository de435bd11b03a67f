"""An install without a C compiler gives the same results: the command-level suites run
again on the Python parser alone (``PTX_PYTHON_PARSER=1``), in a child pytest.

Everything else in the suite runs on the compiled parser where it is built (CI requires
it), so without this test nothing would keep the README's "same results" true.
"""
import os
import subprocess
import sys

import pytest

from corpus import REPO
from prototxt_tools.syntax import parser

SUITES = ["tests/cli", "tests/lint", "tests/passes", "tests/upgrade", "tests/rules",
          "tests/test_fuzz.py"]


@pytest.mark.slow
def test_command_suites_pass_on_the_python_parser_alone():
    if not parser.COMPILED:
        pytest.skip("this install runs the Python parser already: the whole suite tested it")
    env = dict(os.environ, PTX_PYTHON_PARSER="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "-m", "not oracle and not slow", *SUITES],
        cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.splitlines()[-1]
