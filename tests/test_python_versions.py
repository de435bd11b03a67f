"""setup.cfg promises Python >= 3.9: no syntax or stdlib use from later versions.

CI runs one interpreter; vermin reads the code and reports the minimum
version each construct needs, so a ``match`` statement or ``int | None`` at
run time fails here even on 3.11.
"""
import shutil
import subprocess
import sys
from pathlib import Path

from corpus import REPO


def test_code_runs_on_python_3_9():
    beside_python = Path(sys.executable).parent / "vermin"
    vermin = str(beside_python) if beside_python.exists() else shutil.which("vermin")
    assert vermin, "vermin is part of the test extra: pip install -e '.[test]'"
    proc = subprocess.run(
        [vermin, "-t=3.9-", "--no-tips", "--violations", "--eval-annotations",
         "prototxt_tools", "bench", "tools", "tests"],
        cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
