"""Every net and solver of the shared corpus is linted; error findings appear exactly where
the curated list (corpus_expected_errors.tsv) says the file really is broken for BVLC Caffe.

Paths inside files are resolved against the file's repository folder, which is
what ``caffe`` run from that repository's root would see (``--root``).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corpus import CORPUS, params
from prototxt_tools.lint import LintConfig, LintOptions, lint_files

EXPECTED = Path(__file__).resolve().parent / "corpus_expected_errors.tsv"


def expected_errors() -> dict:
    with open(EXPECTED, encoding="utf-8") as fh:
        rows = csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {row[0]: set(row[1].split(",")) for row in rows if row}


def lint_corpus_file(rel: str):
    root = CORPUS / "/".join(rel.split("/")[:2])
    return lint_files([str(CORPUS / rel)], LintConfig(), LintOptions(root=str(root))).problems


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net", "solver"), indirect=True)
def test_corpus_file(corpus_file):
    problems = lint_corpus_file(corpus_file.rel)
    own = [p for p in problems if p.path == str(corpus_file.path)]
    errors = {p.code for p in own if p.severity == "error"}
    assert errors == expected_errors().get(corpus_file.rel, set()), \
        [p.parsable() for p in own if p.severity == "error"][:5]


def test_expected_list_has_reasons():
    with open(EXPECTED, encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if not line.startswith("#")]
    assert rows and all(len(row) == 3 and row[2] for row in rows)
