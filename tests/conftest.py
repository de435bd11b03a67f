import pytest

from corpus import require_corpus


@pytest.fixture
def corpus_file(request):
    """Used through ``params``: skips (or fails in CI) when the corpus is missing."""
    require_corpus()
    return request.param
