"""``ptx log --follow``: read a log that Caffe is still writing, print rows as they come."""
from __future__ import annotations

import math
import os
import time

from ..errors import PtxError
from .model import INCOMPLETE
from .parser import LogParser

POLL_SECONDS = 1.0


def follow(path: str, out, poll: float = POLL_SECONDS, idle_limit=None):
    """Parse ``path`` as it grows until its last run ends (or Ctrl-C, or ``idle_limit``
    seconds without new data); returns the TrainingLog."""
    if path == "-" or not os.path.isfile(path):
        raise PtxError("--follow needs a regular file", path)
    parser, pending, printed, idle = LogParser(path), "", 0, 0.0
    with open(path, "rb") as fh:
        try:
            while True:
                chunk = fh.read().decode("utf-8", errors="replace")
                idle = 0.0 if chunk else idle + poll
                lines = (pending + chunk).split("\n")
                pending = lines.pop()
                for line in lines:
                    parser.feed(line)
                printed = _print_new(parser.log, printed, out)
                if _finished(parser) or (idle_limit is not None and idle >= idle_limit):
                    break
                if not chunk:
                    time.sleep(poll)
        except KeyboardInterrupt:
            pass
    if pending:
        parser.feed(pending)
    return parser.finish()


def _finished(parser) -> bool:
    runs = parser.log.runs
    return bool(runs) and runs[-1].end != INCOMPLETE


def _print_new(log, printed: int, out) -> int:
    """Print finished training rows (a row is finished once a later line started)."""
    ready = log.train[:-1]
    for row in ready[printed:]:
        values = "  ".join(f"{k}={_fmt(v)}" for k, v in row.outputs.items())
        print(f"iteration {row.iteration}  {values}", file=out, flush=True)
    return max(printed, len(ready))


def _fmt(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else str(value)
