"""One finding per line, ``path:line:col: severity: message [CODE]``: for editors and grep."""
from __future__ import annotations

import sys


def render(problems, stream=None, fixed=(), color=None) -> None:
    stream = stream or sys.stdout
    for problem in problems:
        stream.write(problem.parsable() + "\n")
