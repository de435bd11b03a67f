"""Open a training log defensively: missing, empty, binary or not-a-Caffe-log input
becomes a one-line PtxError.  Logs are decoded leniently (a stray byte in a path
printed by Caffe must not hide the curves)."""
from __future__ import annotations

import os
import sys

from ..errors import PtxError
from ..io import STDIN, STDIN_NAME
from .model import TrainingLog
from .parser import LogParser

MAX_LOG_BYTES = 2 * 1024 ** 3


def read_log_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    if not os.path.exists(path):
        raise PtxError("no such file", path)
    if os.path.isdir(path):
        raise PtxError("is a directory, not a training log", path)
    if os.path.getsize(path) > MAX_LOG_BYTES:
        raise PtxError("log is larger than 2 GB", path)
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise PtxError(f"cannot read: {exc.strerror}", path) from None


def parse_log_text(text: str, path: str = "<log>") -> TrainingLog:
    """Parse log text; PtxError when it is empty or holds no Caffe log line."""
    if not text.strip():
        raise PtxError("empty file: not a Caffe training log", path)
    parser = LogParser(path)
    log = parser.feed_all(text.splitlines())
    if not parser.recognized:
        raise PtxError("not a Caffe training log (no glog lines such as "
                       "'I0101 12:00:00.000000 1 solver.cpp:228] Iteration 0, loss = ...')", path)
    return log


def load_log(path: str) -> TrainingLog:
    """Read and parse the log at ``path`` (``-`` = stdin)."""
    data = read_log_bytes(path)
    shown = STDIN_NAME if path == STDIN else path
    if b"\0" in data[:65536]:
        raise PtxError("binary data, not a Caffe training log", shown)
    return parse_log_text(data.decode("utf-8", errors="replace"), shown)
