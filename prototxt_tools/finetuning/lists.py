"""Reading the image lists a fine-tuning job trains on (Caffe's ImageData ``source``).

Caffe's ImageDataLayer reads ``path label`` per line, the label after the *last
space* (``find_last_of(' ')``), parsed with ``atoi``: a tab-separated line, a
non-numeric label or a label of another class numbering is read silently wrong.
So ptx reads the list strictly and refuses it naming the offending lines: labels
must be integers, 0-based and contiguous (every class 0..N-1 in the training
list).  It also counts images per class and notes whether the list is sorted by
class (then only ``shuffle: true`` keeps batches mixed).

An LMDB directory given instead of a list is a ``Source`` of kind ``lmdb``: its
size is the entry count in the database's meta page (``lmdb_entries``, read without
the lmdb library), its classes come from the user (``--classes``/``--labels``).
"""
from __future__ import annotations

import os
import struct
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..errors import PtxError

MAX_BYTES = 256 * 1024 * 1024
SHOWN = 5                  # offending lines named in a refusal
ROOT_PROBES = 20           # entries looked up to decide root_folder
LIST, LMDB = "list", "lmdb"


@dataclass
class Source:
    """One list (or LMDB) and what reading it found."""

    path: str
    kind: str = LIST
    paths: List[str] = field(default_factory=list)
    labels: List[int] = field(default_factory=list)
    lines: List[int] = field(default_factory=list)      # 1-based line of each entry
    root_folder: str = ""
    root_reason: str = ""

    @property
    def count(self) -> int:
        return len(self.labels)

    @property
    def per_class(self) -> Dict[int, int]:
        return dict(sorted(Counter(self.labels).items()))

    @property
    def classes(self) -> int:
        return max(self.labels) + 1 if self.labels else 0

    @property
    def sorted_by_class(self) -> bool:
        """Labels never decrease down the list (and more than one class is present)."""
        pairs = zip(self.labels, self.labels[1:])
        return len(set(self.labels)) > 1 and all(a <= b for a, b in pairs)


LMDB_MAGIC = 0xBEEFC0DE
# A meta page (64-bit LMDB): page header (16 bytes), magic, version, address, mapsize, then
# two MDB_db records of 48 bytes (free pages, main); in the first, md_pad is the page size.
_META_MAGIC, _META_PAGE_SIZE, _META_ENTRIES, _META_TXNID = 16, 40, 120, 144


def lmdb_entries(folder: str) -> int:
    """Records in the main database of an LMDB folder: ``md_entries`` of the newer of its
    two meta pages (highest transaction id), as ``mdb_env_stat`` reports it."""
    path = os.path.join(folder, "data.mdb")
    try:
        with open(path, "rb") as fh:
            head = fh.read(_META_TXNID + 8)
            if not _is_meta(head):
                raise PtxError("not an LMDB data file (no LMDB meta page)", path)
            page_size = struct.unpack_from("<I", head, _META_PAGE_SIZE)[0]
            fh.seek(page_size)
            second = fh.read(_META_TXNID + 8)
    except OSError as exc:
        raise PtxError(f"cannot read: {exc.strerror}", path) from None
    metas = [m for m in (head, second) if _is_meta(m)]
    newest = max(metas, key=lambda m: struct.unpack_from("<Q", m, _META_TXNID)[0])
    return struct.unpack_from("<Q", newest, _META_ENTRIES)[0]


def _is_meta(page: bytes) -> bool:
    return (len(page) == _META_TXNID + 8
            and struct.unpack_from("<I", page, _META_MAGIC)[0] == LMDB_MAGIC)


def is_lmdb(path: str) -> bool:
    """A directory holding ``data.mdb`` (or any directory: Caffe's LMDB sources are folders)."""
    return os.path.isdir(path)


def read_source(path: str, role: str) -> Source:
    """Read a list (or recognise an LMDB folder); PtxError with the offending lines."""
    if is_lmdb(path):
        if not os.path.isfile(os.path.join(path, "data.mdb")):
            raise PtxError(f"--{role} is a directory without data.mdb: neither an image list "
                           f"nor an LMDB", path)
        return Source(path, LMDB)
    source = Source(path)
    bad: List[Tuple[int, str]] = []
    for number, line in enumerate(_read_lines(path), 1):
        parsed = _parse_line(line)
        if parsed is None:
            continue
        if isinstance(parsed, str):
            bad.append((number, parsed))
            continue
        source.paths.append(parsed[0])
        source.labels.append(parsed[1])
        source.lines.append(number)
    if bad:
        refuse(path, bad, "Caffe's ImageData reads 'path label', the label an integer after "
                          "the last space")
    if not source.labels:
        raise PtxError(f"--{role} lists no images (expected 'path label' per line)", path)
    return source


def _read_lines(path: str) -> List[str]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PtxError("no such file", path) from None
    except OSError as exc:
        raise PtxError(f"cannot read: {exc.strerror}", path) from None
    if len(data) > MAX_BYTES:
        raise PtxError(f"list is larger than {MAX_BYTES // 2**20} MB", path)
    if b"\x00" in data[:8192]:
        raise PtxError("this is a binary file, not an image list ('path label' per line)", path)
    return data.decode("utf-8", errors="replace").splitlines()


def _parse_line(line: str):
    """(path, label), None for a blank line, or a string saying what is wrong."""
    if not line.strip():
        return None
    text = line.rstrip("\r\n ")
    if " " not in text:
        if "\t" in text:
            return "tab-separated (Caffe splits at the last space only)"
        return "no label (expected 'path label')"
    image, _, label = text.rpartition(" ")
    if not image.strip():
        return "no image path before the label"
    try:
        value = int(label)
    except ValueError:
        return f"label {label!r} is not an integer"
    if value < 0:
        return f"label {value} is negative"
    return image.strip(), value


def refuse(path: str, bad: List[Tuple[int, str]], why: str) -> None:
    """PtxError at the first offending line, naming up to SHOWN of them."""
    first_line, first_what = bad[0]
    more = ", ".join(f"line {n}: {what}" for n, what in bad[1:SHOWN])
    rest = f" ({len(bad)} lines in all)" if len(bad) > SHOWN else ""
    also = f"; also {more}{rest}" if more else ""
    raise PtxError(f"{first_what}{also} -- {why}; nothing written", path, first_line)


def check_labels(train: Source, val: Source, classes: Optional[int]) -> int:
    """The class count N: every training label in 0..N-1 and every class present in
    training; validation labels in 0..N-1.  PtxError naming offending lines otherwise."""
    if train.kind == LMDB:
        if classes is None:
            raise PtxError("an LMDB source holds no class count ptx can read; give --classes N "
                           "or --labels FILE", train.path)
        return classes
    count = classes or train.classes
    _labels_in_range(train, count)
    missing = [c for c in range(count) if c not in train.per_class]
    if missing:
        _refuse_gaps(train, missing, count)
    if val.kind == LIST:
        _labels_in_range(val, count)
    return count


def _labels_in_range(source: Source, count: int) -> None:
    bad = [(n, f"label {label} is not below the class count {count}")
           for n, label in zip(source.lines, source.labels) if label >= count]
    if bad:
        refuse(source.path, bad, f"labels must be 0..{count - 1}")


def _refuse_gaps(train: Source, missing: List[int], count: int) -> None:
    present = sorted(train.per_class)
    named = ", ".join(map(str, missing[:SHOWN])) + (" ..." if len(missing) > SHOWN else "")
    if present and present[0] > 0 and missing == list(range(present[0])):
        what = f"labels start at {present[0]}, not 0"
        above = [(n, f"label {v}") for n, v in zip(train.lines, train.labels) if v == present[-1]]
        refuse(train.path, above or [(1, what)],
               f"{what}: Caffe's classes are 0..N-1 (renumber the labels, e.g. subtract "
               f"{present[0]}), else class{'es' if len(missing) > 1 else ''} {named} "
               f"train{'' if len(missing) > 1 else 's'} on no image")
    after = [(n, f"label {v} comes after the missing class {missing[0]}")
             for n, v in zip(train.lines, train.labels) if v > missing[0]]
    refuse(train.path, after or [(1, "missing classes")],
           f"no training image has label {named}: labels must be contiguous 0..{count - 1} "
           f"(renumber them, or give --classes to match)")


def decide_root_folder(source: Source, cwd: str) -> None:
    """Set ``root_folder`` so Caffe finds the images: none for absolute paths, else the
    list's folder or the working directory, whichever holds the first entries."""
    if source.kind != LIST:
        return
    probes = source.paths[:ROOT_PROBES]
    if all(os.path.isabs(p) for p in probes):
        source.root_reason = "the list holds absolute paths"
        return
    list_dir = os.path.dirname(os.path.abspath(source.path))
    for folder, where in ((list_dir, "the list's folder"), (os.path.abspath(cwd), "the working directory")):
        found = sum(os.path.exists(os.path.join(folder, p)) for p in probes)
        if found:
            source.root_folder = folder.rstrip(os.sep) + os.sep
            source.root_reason = (f"{found} of the first {len(probes)} images exist relative "
                                  f"to {where}")
            return
    source.root_folder = list_dir.rstrip(os.sep) + os.sep
    source.root_reason = (f"none of the first {len(probes)} images was found, relative to the "
                          f"list's folder or the working directory: assuming the list's folder "
                          f"(NOT verified; pass --root-folder DIR)")
