"""Test-suite setup: tests import shared helpers (``corpus``) from this folder.

Test folders are packages (``__init__.py``) so that modules in different
folders may share a basename: tests mirror the package layout.
"""
import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

import pytest  # noqa: E402

from corpus import require_corpus  # noqa: E402


@pytest.fixture
def corpus_file(request):
    """Indirect parameter over ``corpus.params(...)``: skips, or fails under CI,
    when the corpus is missing; otherwise the CorpusFile itself."""
    if request.param is None:
        require_corpus()
    return request.param
