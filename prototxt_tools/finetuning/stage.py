"""Writing a job's files: first into a staging folder the checks read, then -- only when
the checks pass, or with ``force`` -- into the output folder, each file atomically.

The staging folder sits beside the output folder (same file system) and is removed
afterwards, whatever happens.  ``snapshots/`` is created in both: the solver's
``snapshot_prefix`` must name an existing folder or Caffe fails at the first snapshot.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from typing import Dict, Iterator

from ..errors import PtxError
from ..io import write_atomic

SNAPSHOTS = "snapshots"
EXECUTABLE = ("train.sh",)


@contextmanager
def staged(out_dir: str, files: Dict[str, str]) -> Iterator[str]:
    """A temporary folder holding ``files``; removed when the block ends."""
    import tempfile
    parent = os.path.dirname(os.path.abspath(out_dir)) or "."
    try:
        os.makedirs(parent, exist_ok=True)
        folder = tempfile.mkdtemp(prefix=".ptx-finetune-", dir=parent)
    except OSError as exc:
        raise PtxError(f"cannot write: {exc.strerror}", parent) from None
    try:
        _write_all(folder, files)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_job(out_dir: str, files: Dict[str, str]) -> None:
    """``files`` into ``out_dir`` (created), each replaced atomically."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise PtxError("-o names a file, not a folder", out_dir)
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise PtxError(f"cannot create the folder: {exc.strerror}", out_dir) from None
    _write_all(out_dir, files)


def _write_all(folder: str, files: Dict[str, str]) -> None:
    os.makedirs(os.path.join(folder, SNAPSHOTS), exist_ok=True)
    for name, text in files.items():
        path = os.path.join(folder, name)
        write_atomic(path, text)
        if name in EXECUTABLE:
            os.chmod(path, os.stat(path).st_mode | 0o111)
