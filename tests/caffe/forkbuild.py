"""Test helper: the Caffe fork builds, which corpus nets each judges, and brocolli's vouchers.

Shared by the fork-oracle tests (tests/caffe/test_fork_oracle.py, tests/heads/...) so they all
decide the same way which build may judge which corpus net.  tests/caffe/fork_oracle.json holds:

- ``builds``: each fork's OWN Caffe (``tools/build-caffe.sh --fork NAME``, default prefix
  ~/.cache/ptx/caffe-NAME or ``$PTX_CAFFE_<NAME>_PREFIX``), the oracle for every layer of that
  fork: the corpus files it judges (repository and path prefix), the layer types its source
  registers that upstream lacks, and what it says about each of those corpus nets;
- ``forks``: what the brocolli-caffe build (``--fork brocolli``, ``$PTX_FORK_PREFIX``, default
  ~/.cache/ptx/caffe-brocolli) can vouch for, compared with each fork's source.
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
BUILDS = VOUCHERS["builds"]
PREFIX = Path(os.environ.get("PTX_FORK_PREFIX", Path.home() / ".cache" / "ptx" / "caffe-brocolli"))


def build_prefix(name: str) -> Path:
    """Where ``tools/build-caffe.sh --fork NAME`` installs (the same variable it reads)."""
    variable = "PTX_FORK_PREFIX" if name == "brocolli" else \
        "PTX_CAFFE_" + name.upper().replace("-", "_") + "_PREFIX"
    default = Path.home() / ".cache" / "ptx" / f"caffe-{name}"
    return Path(os.environ.get(variable) or default)


def require_build(name: str) -> str:
    """The prefix of fork build NAME, or a skip naming the command that makes it."""
    prefix = build_prefix(name)
    if python_dir_of(str(prefix)) is None:
        pytest.skip(f"no {name} fork build at {prefix} (tools/build-caffe.sh --fork {name}); "
                    "CI builds upstream only")
    return str(prefix)


@pytest.fixture(scope="module")
def fork_prefix():
    """The brocolli build."""
    return require_build("brocolli")


def _judging(name: str, rel: str) -> int:
    """The length of build NAME's longest ``judges`` prefix that a corpus file
    (``files/<repo>/<path>``) starts with; 0 when none does."""
    tail = rel.split("/", 1)[1] if rel.startswith("files/") else rel
    return max((len(prefix) for prefix in BUILDS[name]["judges"] if tail.startswith(prefix)),
               default=0)


def build_for(rel: str) -> Optional[str]:
    """The fork build that judges a corpus file: the longest matching ``judges`` prefix (one
    repository may hold nets of several forks); between two builds of one fork judging the same
    files, the one listed first in fork_oracle.json."""
    best = max(BUILDS, key=lambda name: _judging(name, rel))
    return best if _judging(best, rel) else None


def fork_types(layers) -> set:
    """The net's layer types upstream Caffe lacks (data layers aside: ptx check swaps them)."""
    upstream = upstream_layer_types()
    return {layer.type for layer in layers if layer.type not in upstream and not is_data_layer(layer)}


def fork_record(rel: str) -> Optional[dict]:
    """The brocolli voucher record of the fork a corpus file (``files/<repo>/...``) comes from."""
    repo = rel.split("/")[1]
    for record in VOUCHERS["forks"].values():
        if repo in record["repos"]:
            return record
    return None


# --- What a fork build says about the corpus nets it judges ------------------------------------
FALLBACK = (1, 3, 300, 300)   # for data layers and Python layers whose shapes ptx cannot derive
PHASES = ("TRAIN", "TEST")
RECORDED = 200   # characters of a verdict kept in the record (the test compares that prefix)


def judged_nets(name: str) -> list:
    """The corpus nets fork build NAME judges (corpus.CorpusFile entries)."""
    from corpus import files_of
    return [entry for entry in files_of("net") if _judging(name, entry.rel)]


def input_shapes(name: str, rel: str) -> dict:
    """The input shapes fork_oracle.json gives the nets under a path prefix (the dataset's image
    size, where the net reads it from image files: the longest matching prefix)."""
    tail = rel.split("/", 1)[1] if rel.startswith("files/") else rel
    given = BUILDS[name].get("input_shapes", {})
    matches = sorted((prefix for prefix in given if tail.startswith(prefix)), key=len)
    return {top: tuple(shape) for top, shape in given[matches[-1]]["shapes"].items()} if matches else {}


def verdict(path: str, phase: str, prefix: str, shapes: Optional[dict] = None) -> str:
    """``builds``, or ``rejects: <Caffe's fatal message>``, or ``ptx refuses: <why>`` for a
    corpus net checked in a fork build as ``ptx check`` does (data layers swapped, Python
    layers stood in for), with the input ``shapes`` given."""
    return checked(path, phase, prefix, shapes)[0]


def checked(path: str, phase: str, prefix: str, shapes: Optional[dict] = None) -> tuple:
    """(verdict, the CheckResult or None when ptx refused)."""
    from prototxt_tools.caffe.check import check_net
    from prototxt_tools.errors import PtxError
    result = None
    try:
        result = check_net(path, phase, input_shapes=shapes, fallback_shape=FALLBACK, caffe=prefix)
        said = "builds" if result.fatal is None else f"rejects: {result.fatal.message}"
    except PtxError as exc:   # CaffeUnavailable (a crash) included
        said = f"ptx refuses: {exc}"
    return said.replace(path, "NET"), result


def record_nets(name: str) -> dict:
    """The ``nets`` record of fork build NAME, from the build itself (run by hand, then read
    and kept in fork_oracle.json: ``python3 tests/caffe/forkbuild.py NAME``)."""
    prefix = str(build_prefix(name))
    return {f"{entry.rel} {phase}":
            verdict(str(entry.path), phase, prefix, input_shapes(name, entry.rel))[:RECORDED]
            for entry in judged_nets(name) for phase in PHASES}


if __name__ == "__main__":
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    target = Path(__file__).with_name("fork_oracle.json")
    for fork in sys.argv[1:]:
        BUILDS[fork]["nets"] = record_nets(fork)
        print(json.dumps(BUILDS[fork]["nets"], indent=1))
    target.write_text(json.dumps(VOUCHERS, indent=1) + "\n")
