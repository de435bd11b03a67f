"""The user's class count: ``--replace-head N`` or ``--labels FILE``.

N counts the user's classes.  A label file gives it too: an SSD labelmap
(``item { name label display_name }``), a class-names file (one name per line,
``synset_words.txt``) or a ``path label`` list (max label + 1, labels from 0).  A background
entry (label 0 named ``background``, or a first line ``__background__``) is
noted, not counted: detection families add background themselves, the others
count it because the list names it (segmentation label 0).
"""
from __future__ import annotations

from typing import List, Optional

from ..errors import PtxError
from .plan import Classes

MAX_BYTES = 4 * 1024 * 1024
_BACKGROUND = {"background", "__background__", "bg", "none_of_the_above", "__bg__"}


def from_count(n: int) -> Classes:
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise PtxError(f"--replace-head wants a positive number of classes, got {n!r}")
    return Classes(n, False, "")


def class_names(path: str) -> List[str]:
    """The class names a names file or labelmap lists, background left out ([] for a
    ``path label`` list, which has numbers only)."""
    text = _read(path)
    if "item" in text and "{" in text:
        from ..api import PtxFile
        from ..net.labelmap import LabelMap
        items = LabelMap(PtxFile(text, path).doc).items
        return [str(i.display_name or i.name) for i in items
                if not (i.label == 0 and _is_background(i))]
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if _label_column(names) is not None:
        return []
    return names[1:] if names and names[0].lower() in _BACKGROUND else names


def from_labels(path: str) -> Classes:
    """Classes named by ``path``; PtxError (one line) when it names none."""
    text = _read(path)
    if "item" in text and "{" in text:
        return _from_labelmap(text, path)
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise PtxError("the label file names no class", path)
    labels = _label_column(names)
    if labels is not None:
        if 0 not in labels:     # (IO_places365.txt: indoor 1, outdoor 2)
            raise PtxError(f"the labels start at {min(labels)}, not 0: Caffe's N classes are "
                           f"labels 0..N-1 (label 0 is a class to the loss); renumber the list "
                           f"from 0, or give the count (--replace-head N)", path)
        return Classes(max(labels) + 1, False, path)
    if all(len(n.split()) == 2 and "/" in n.split()[1] for n in names):
        raise PtxError("this looks like an image / label-image list, which does not say how "
                       "many classes there are; give the count (--replace-head N)", path)
    if all(_is_file_name(n) for n in names):
        raise PtxError(f"this looks like a list of files ({names[0]}...), not class names; "
                       f"give the count (--replace-head N)", path)
    background = names[0].lower() in _BACKGROUND
    return Classes(len(names) - background, background, path)


_DATA_FILES = (".h5", ".hdf5", ".jpg", ".jpeg", ".png", ".bmp", ".txt", ".lmdb", ".mat",
               ".npy", ".caffemodel", ".prototxt", ".binaryproto")


def _is_file_name(line: str) -> bool:
    """One word that is a path or a data file's name (an HDF5Data source list), not a
    class name (``n01440764 tench``, ``Pastel``)."""
    return len(line.split()) == 1 and ("/" in line or line.lower().endswith(_DATA_FILES))


def _read(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PtxError(exc.strerror or "cannot read", path) from None
    if len(data) > MAX_BYTES:
        raise PtxError(f"label file larger than {MAX_BYTES} bytes", path)
    return data.decode("utf-8", errors="replace")


def _label_column(lines: List[str]) -> Optional[List[int]]:
    """The last integer of every line of a ``path label`` list; None if not one."""
    labels = []
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            return None
        try:
            labels.append(int(parts[-1]))
        except ValueError:
            return None
    return labels


def _from_labelmap(text: str, path: str) -> Classes:
    from ..api import PtxFile
    from ..net.labelmap import LabelMap
    labelmap = PtxFile(text, path)
    if labelmap.kind != "labelmap":
        raise PtxError("not a labelmap (item { name label display_name } blocks)", path)
    items = LabelMap(labelmap.doc).items
    background = any(item.label == 0 and _is_background(item) for item in items)
    count = len(items) - background
    if count <= 0:
        raise PtxError("the labelmap names no class besides background", path)
    return Classes(count, background, path)


def _is_background(item) -> bool:
    names = {str(n).lower() for n in (item.name, item.display_name) if n is not None}
    return bool(names & _BACKGROUND)
