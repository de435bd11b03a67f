"""Reading users' files defensively and writing them atomically.

Reading turns every way a path can be wrong (missing, a directory, empty,
binary, a .caffemodel given by mistake, not UTF-8, huge) into a one-line
PtxError.  Writing goes through a temp file in the same folder and
``os.replace``, keeps the file's mode and follows symlinks, so an
interrupted write never leaves a half-written net behind.
"""
from __future__ import annotations

import os
import stat
import sys
from contextlib import contextmanager
from typing import IO, Iterator, Tuple, Union

from .errors import PtxError

MAX_BYTES = 32 * 1024 * 1024  # the largest real prototxt we know of is a few MB
STDIN = "-"
STDIN_NAME = "<stdin>"  # how messages name standard input


def read_source(path: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of ``path`` (``-`` = stdin), exactly as stored (BOM and CRLF kept)."""
    if path == STDIN:
        return decode_source(_read_stdin(max_bytes), STDIN_NAME)
    return decode_source(_read_file(path, max_bytes), path)


def _read_stdin(max_bytes: int) -> bytes:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PtxError(f"input is larger than {max_bytes // 2**20} MB; ptx reads prototxt "
                       f"files up to that size", STDIN_NAME)
    return data


def _read_file(path: str, max_bytes: int) -> bytes:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PtxError("no such file", path) from None
    except OSError as exc:
        raise PtxError(f"cannot read: {exc.strerror}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise PtxError("is a directory, not a prototxt file", path)
    if info.st_size > max_bytes:
        raise PtxError(f"file is {info.st_size / 2**20:.0f} MB; ptx reads prototxt files up to "
                       f"{max_bytes // 2**20} MB (is this really a text net definition?)", path)
    try:
        with open(path, "rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as exc:
        raise PtxError(f"cannot read: {exc.strerror}", path) from None


def decode_source(data: bytes, path: str) -> str:
    """UTF-8 text from ``data``, or a PtxError saying what the bytes look like instead."""
    if not data.strip():
        raise PtxError("file is empty" if not data else "file holds only whitespace", path)
    if looks_like_caffemodel(data):
        raise PtxError("this is a binary file; it looks like a .caffemodel (trained weights), "
                       "not a text net definition", path)
    if b"\x00" in data[:8192]:
        raise PtxError("this is a binary file, not a text prototxt", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PtxError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                       path, line, col) from None


def looks_like_caffemodel(data: bytes) -> bool:
    """A serialized NetParameter: field 1 (name) or 100/2 (layer/layers) as length-delimited."""
    head = data[:4]
    starts_like_net = head[:1] == b"\x0a" or head[:2] in (b"\xa2\x06", b"\x12")
    return starts_like_net and _mostly_binary(data[:4096])


def _mostly_binary(chunk: bytes) -> bool:
    if not chunk:
        return False
    control = sum(1 for b in chunk if b < 9 or 13 < b < 32)
    return control / len(chunk) > 0.05


def write_atomic(path: str, data: Union[str, bytes]) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically, keeping its mode."""
    with atomic_file(path, binary=isinstance(data, bytes)) as (fh, _):
        fh.write(data)


@contextmanager
def atomic_file(path: str, binary: bool = False) -> Iterator[Tuple[IO, str]]:
    """``(file, temp path)`` beside ``path``; it replaces ``path`` only when the block ends
    without an error (a crash or a refused result leaves the old file as it was).

    The new file keeps the old one's mode (a new one gets the umask's); symlinks are followed.
    """
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    mode = _existing_mode(target)
    import tempfile  # only writers need it; it costs several ms of start-up
    try:
        fd, tmp = tempfile.mkstemp(prefix=".ptx-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PtxError(f"cannot write: {exc.strerror}", path) from None
    try:
        opened = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with opened as fh:
            yield fh, tmp
            fh.flush()
            os.fsync(fh.fileno())   # the data is on disk before the rename makes it the file
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _existing_mode(path: str) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
