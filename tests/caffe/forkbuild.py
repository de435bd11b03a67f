"""Test helper: the brocolli fork build and what tests/caffe/fork_oracle.json vouches for.

Shared by the fork-oracle tests (tests/caffe/test_fork_oracle.py, tests/heads/test_fork_oracle.py)
so both decide the same way which corpus nets the fork may judge.  The build comes from
``tools/build-caffe.sh --fork brocolli`` (``$PTX_FORK_PREFIX``, default ~/.cache/ptx/caffe-brocolli).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import pytest

from prototxt_tools.caffe.datashapes import is_data_layer
from prototxt_tools.caffe.identity import upstream_layer_types
from prototxt_tools.caffe.runner import python_dir_of

VOUCHERS = json.loads((Path(__file__).with_name("fork_oracle.json")).read_text())
PREFIX = Path(os.environ.get("PTX_FORK_PREFIX", Path.home() / ".cache" / "ptx" / "caffe-brocolli"))


@pytest.fixture(scope="module")
def fork_prefix():
    if python_dir_of(str(PREFIX)) is None:
        pytest.skip(f"no brocolli fork build at {PREFIX} (tools/build-caffe.sh --fork brocolli); "
                    "CI builds upstream only")
    return str(PREFIX)


def fork_types(layers) -> set:
    """The net's layer types upstream Caffe lacks (data layers aside: ptx check swaps them)."""
    upstream = upstream_layer_types()
    return {layer.type for layer in layers if layer.type not in upstream and not is_data_layer(layer)}


def fork_record(rel: str) -> Optional[dict]:
    """The fork_oracle.json record of the fork a corpus file (``files/<repo>/...``) comes from."""
    repo = rel.split("/")[1]
    for record in VOUCHERS["forks"].values():
        if repo in record["repos"]:
            return record
    return None
