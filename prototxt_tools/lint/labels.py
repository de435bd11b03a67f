"""Reading label lists: ImageData ``source`` files (``path label`` per line) and ``--labels``.

Read as text with a size cap; nothing in them is executed or opened.  A
list ptx cannot read gives None (the rule that wanted it stays silent),
because a missing list on the linting machine is normal (data lives elsewhere).
"""
from __future__ import annotations

from typing import List, Optional


def read_label_list(path: str, max_bytes: int) -> Optional[List[int]]:
    """The last integer of every non-empty line, in order; None when unreadable or not a list."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError:
        return None
    if len(data) > max_bytes:
        data = data[:max_bytes]
        data = data[:data.rfind(b"\n") + 1]
    labels = []
    for raw in data.decode("utf-8", errors="replace").splitlines():
        parts = raw.split()
        if not parts:
            continue
        try:
            labels.append(int(parts[-1]))
        except ValueError:
            return None
    return labels or None


def class_names(path: str, max_bytes: int) -> Optional[int]:
    """Number of classes in a ``--labels`` file: a ``path label`` list gives max+1,
    a plain names file (one class name per line, e.g. synset_words.txt) its line count."""
    labels = read_label_list(path, max_bytes)
    if labels is not None:
        return max(labels) + 1
    try:
        with open(path, "rb") as fh:
            lines = fh.read(max_bytes).decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return sum(1 for line in lines if line.strip()) or None
