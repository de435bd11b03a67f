"""Without pycaffe, ``ptx check`` says in one line how to get it and exits 2 (no Caffe needed)."""
from __future__ import annotations

import os
import subprocess
import sys

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
