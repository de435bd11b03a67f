"""``ptx log --follow``: read a log that Caffe is still writing, print rows as they come:
training rows and each test net's rows (``test#k``), in file order, each once it is
complete (a later row has started, or the run ended)."""
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
    parser, pending, printed, idle = LogParser(path), "", set(), 0.0
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
    log = parser.finish()
    _print_new(log, printed, out, done=True)
    return log


def _finished(parser) -> bool:
    runs = parser.log.runs
    return bool(runs) and runs[-1].end != INCOMPLETE


def _print_new(log, printed: set, out, done: bool = False) -> set:
    """Print, in file order, the rows not printed yet, training and test alike; a row is
    complete once a later row has started (its outputs come on consecutive lines) or
    the log is ``done``.  ``printed``: the first lines of the rows already printed."""
    rows = [(row.line, "", row) for row in log.train]
    rows += [(row.line, f"test#{net} ", row) for net, test in log.test.items() for row in test]
    last = max((line for line, _, _ in rows), default=0)
    for line, prefix, row in sorted(rows, key=lambda item: item[0]):
        if line in printed or (line == last and not done):
            continue
        values = "  ".join(f"{k}={_fmt(v)}" for k, v in row.outputs.items())
        print(f"{prefix}iteration {row.iteration}  {values}", file=out, flush=True)
        printed.add(line)
    return printed


def _fmt(value: float) -> str:
    return f"{value:g}" if math.isfinite(value) else str(value)
