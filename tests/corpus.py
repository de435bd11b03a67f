"""Access to the shared corpus of real Caffe files, for tests and benchmarks.

The corpus lives beside the clone (``../shared/corpus``); ``PTX_CORPUS``
overrides the path.  Where it is absent, corpus tests skip with a visible
reason, except under CI (``CI=true``), where a missing corpus is a failure:
those tests must really run there.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PTX_CORPUS", REPO.parent / "shared" / "corpus"))


@dataclass(frozen=True)
class CorpusFile:
    path: Path        # absolute path
    rel: str          # path as listed in MANIFEST.tsv
    kind: str         # net, solver, labels, log, schema
    format: str       # v0, v1, v2, mixed, unknown, n/a
    notes: str

    def __str__(self) -> str:
        return self.rel


def corpus_available() -> bool:
    return (CORPUS / "MANIFEST.tsv").is_file()


def require_corpus() -> None:
    """Skip (or fail under CI) when the corpus is not there."""
    if corpus_available():
        return
    message = f"shared corpus not found at {CORPUS} (set PTX_CORPUS to its path)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def manifest() -> List[CorpusFile]:
    """Every file listed in MANIFEST.tsv, or [] when the corpus is absent."""
    if not corpus_available():
        return []
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [CorpusFile(CORPUS / r["file"], r["file"], r["kind"], r["format"], r["notes"])
            for r in rows]


def files_of(*kinds: str) -> List[CorpusFile]:
    """Files of the MANIFEST kinds given; ``labelmap`` selects the SSD labelmaps among ``labels``."""
    return [f for f in manifest() if f.kind in kinds or ("labelmap" in kinds and is_labelmap(f))]


def is_labelmap(entry: CorpusFile) -> bool:
    return entry.kind == "labels" and "LabelMap" in entry.notes


def params(*kinds: str, formats=None):
    """pytest parameters over corpus files of ``kinds`` (and net ``formats``, e.g. ("v2",));
    one case of None when the corpus is absent (the test then calls ``require_corpus``)."""
    files = [f for f in files_of(*kinds) if formats is None or f.format in formats]
    if not files and corpus_available():
        raise ValueError(f"no corpus file of kinds {kinds} and formats {formats}")
    if not files:
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(f, id=f.rel) for f in files]
