"""Which Caffe answered: upstream's layer types, and how ``ptx check`` names a build."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile

import pytest

from corpus import REPO
from prototxt_tools.caffe.identity import OPTIONAL_UPSTREAM, CaffeBuild, upstream_layer_types

VENDORED = REPO.parent / "shared" / "vendor" / "bvlc-caffe-9b89154.tar.gz"
_REGISTER = re.compile(rb"REGISTER_LAYER_(?:CLASS|CREATOR)\((\w+)")
CAFFENET = REPO / "fixtures" / "caffenet" / "train_val.prototxt"


def _need_vendored():
    if not VENDORED.is_file():
        message = f"upstream's source {VENDORED} is not there"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_upstream_types_are_those_registered_in_upstream_source():
    _need_vendored()
    registered = set()
    with tarfile.open(VENDORED) as tar:
        for member in tar.getmembers():
            if member.isfile() and "/src/caffe/" in member.name and member.name.endswith(".cpp"):
                registered |= {m.decode() for m in _REGISTER.findall(tar.extractfile(member).read())}
    assert upstream_layer_types() == registered


def test_a_build_with_extra_types_is_a_fork():
    upstream = sorted(upstream_layer_types() - OPTIONAL_UPSTREAM - {"Python"})
    fork = CaffeBuild.from_child({"pycaffe": "/x/caffe", "types": upstream + ["PriorBox", "BN"]})
    assert fork.is_fork and fork.extra == ["BN", "PriorBox"] and fork.lacking == ["Python"]
    assert fork.describe() == ("a fork (layer types upstream lacks: BN, PriorBox); "
                               "without upstream's Python")
    assert any("--schema" in line for line in fork.lines())
    plain = CaffeBuild.from_child({"pycaffe": "/x/caffe", "types": sorted(upstream_layer_types())})
    assert plain.describe() == "upstream BVLC Caffe" and plain.lines() == [
        "Caffe: upstream BVLC Caffe, pycaffe /x/caffe"]


def ptx(*args):
    return subprocess.run([sys.executable, "-m", "prototxt_tools", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


@pytest.mark.oracle
def test_check_names_the_upstream_build_it_ran(pycaffe):
    run = ptx(CAFFENET, "--json")
    assert run.returncode == 0, run.stderr
    caffe = json.loads(run.stdout)["caffe"]
    assert caffe["upstream"] and caffe["description"] == "upstream BVLC Caffe"
    assert caffe["fork_layer_types"] == [] and caffe["lacking_upstream_types"] == []
    assert os.path.isfile(os.path.join(caffe["pycaffe"], "__init__.py"))


@pytest.mark.oracle
def test_caffe_option_picks_a_build(pycaffe, tmp_path):
    from prototxt_tools.caffe.runner import pycaffe_path
    prefix = os.path.dirname(pycaffe_path() or "") or None
    if prefix is None:
        pytest.skip("pycaffe is importable as is: no prefix to name")
    run = ptx(CAFFENET, "--caffe", prefix, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["caffe"]["pycaffe"].startswith(os.path.realpath(prefix))
    missing = ptx(CAFFENET, "--caffe", tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert f"--caffe {tmp_path}: no pycaffe there" in missing.stderr


def test_a_caffe_without_the_input_layer_is_told_by_its_caffe_pb2(tmp_path):
    from prototxt_tools.caffe.runner import has_input_layer, registry_from_tool
    proto = tmp_path / "caffe" / "proto"
    proto.mkdir(parents=True)
    (proto / "caffe_pb2.py").write_text("DESCRIPTOR = b'...\\n\\x0bBlobShape...'\n")
    assert not has_input_layer(str(tmp_path))
    (proto / "caffe_pb2.py").write_text("DESCRIPTOR = b'...\\n\\x0eInputParameter...'\n")
    assert has_input_layer(str(tmp_path))
    assert has_input_layer(str(tmp_path / "elsewhere"))   # unknown: assume a current Caffe
    assert registry_from_tool(str(tmp_path)) is None      # no PREFIX/bin/caffe beside it
