"""Without pycaffe, ``ptx check`` says in one line how to get it and exits 2 (no Caffe needed)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from corpus import REPO


def test_missing_pycaffe_is_one_line_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HOME=str(tmp_path), PTX_CAFFE_PREFIX=str(tmp_path / "none"), PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-m", "prototxt_tools", "check",
                          str(REPO / "fixtures" / "caffenet" / "train_val.prototxt")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "tools/build-caffe.sh" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.oracle
def test_a_missing_python_package_is_named_with_its_fix(pycaffe, tmp_path):
    # pycaffe imports six; here it is made to fail as in a venv without it
    blocker = tmp_path / "blocker" / "six"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'six\'", name="six")\n')
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(blocker.parent), pycaffe, str(REPO)) if p)
    run = subprocess.run([sys.executable, "-m", "prototxt_tools", "check",
                          str(REPO / "fixtures" / "caffenet" / "train_val.prototxt")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "needs the Python module 'six'" in run.stderr and "pip install six" in run.stderr
    assert "rebuild" not in run.stderr
