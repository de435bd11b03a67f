"""Oracle tier: tests that need real Caffe skip with the reason when pycaffe cannot be found
(and fail under CI, where .ci/run builds it first with tools/build-caffe.sh)."""
from __future__ import annotations

import os

import pytest

from prototxt_tools.caffe.runner import HOW_TO_GET, pycaffe_path


@pytest.fixture(scope="session")
def pycaffe():
    """The PYTHONPATH entry of pycaffe ("" when importable as is); skips when there is none."""
    found = pycaffe_path()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(HOW_TO_GET)
        pytest.skip(HOW_TO_GET)
    return found
