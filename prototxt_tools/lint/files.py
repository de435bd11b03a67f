"""Which files ``ptx lint`` reads: named files, directories walked for nets and solvers, stdin."""
from __future__ import annotations

import os
from typing import Iterator, List

from ..errors import PtxError
from ..io import STDIN

NET_SUFFIXES = (".prototxt", ".pt")
SKIP_DIRS = frozenset((".git", ".hg", ".svn", "__pycache__", ".tox", ".venv", "node_modules"))


def _is_lintable(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(NET_SUFFIXES):
        return True
    stem, ext = os.path.splitext(lower)
    return "solver" in stem and ext in ("", ".txt")


def tidy(path: str) -> str:
    """``./a/./b`` -> ``a/b``: one spelling of a file whether it was named, found in a
    folder or reached through a solver's ``net: "./x.prototxt"`` (``..`` is kept: what it
    means depends on symlinks)."""
    absolute = path.startswith("/")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    return ("/" if absolute else "") + "/".join(parts) or "."


def _walk(folder: str) -> Iterator[str]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if _is_lintable(name):
                yield tidy(os.path.join(current, name))


def expand(paths: List[str], excluded=lambda path: False) -> List[str]:
    """Files to lint, in the order given (directories sorted); ``-`` kept as is.
    A named path that does not exist is a usage error (exit 2)."""
    out: List[str] = []
    for path in paths:
        if path == STDIN:
            out.append(path)
        elif os.path.isdir(path):
            out.extend(p for p in _walk(path) if not excluded(p))
        elif os.path.exists(path):
            out.append(path)
        else:
            raise PtxError("no such file or directory", path)
    seen = set()
    return [p for p in out if not (p in seen or seen.add(p))]
