"""Fork oracles: each fork's own Caffe build, and brocolli-caffe for the layers it vouches for.

Each fork's OWN build (``tools/build-caffe.sh --fork NAME``, fork_oracle.json ``builds``) is
the oracle for every layer of that fork: these tests check that the build is that fork (it
registers exactly the layer types its source does that upstream lacks, which are ptx's
catalogue's types for the fork) and that it says of each corpus net it judges what
fork_oracle.json records (builds, or the reason it rejects the net).

brocolli-caffe (``--fork brocolli``, ``$PTX_FORK_PREFIX``, default ~/.cache/ptx/caffe-brocolli)
is another fork; fork_oracle.json ``forks`` records, per fork the corpus nets come from (SSD,
R-FCN, SegNet), which of brocolli's layers share that fork's setup and shape code.  Corpus nets
of those forks whose every non-upstream layer is vouched for (data layers aside: ptx check
swaps them for Input) are built in brocolli, and ptx's shapes must equal the fork's.
Without a build these tests skip naming the command that makes it, under CI too: CI builds
upstream only.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus import files_of, require_corpus
from prototxt_tools.api import load
from prototxt_tools.caffe.check import check_net
from prototxt_tools.caffe.identity import upstream_layer_types
from prototxt_tools.forks import get as catalogued_fork
from prototxt_tools.shapes import infer_file

from .forkbuild import (BUILDS, FALLBACK, PHASES, PREFIX, RECORDED, VOUCHERS, build_for, fork_prefix,  # noqa: F401
                        checked, fork_types, input_shapes, judged_nets, require_build)

pytestmark = pytest.mark.oracle


def _cases():
    cases = []
    for fork, record in sorted(VOUCHERS["forks"].items()):
        vouched = set(record["vouched"])
        for entry in files_of("net"):
            if entry.rel.split("/")[1] not in record["repos"]:
                continue
            try:
                layers = load(str(entry.path)).net.layers
            except Exception:   # unparseable files have their own tests
                continue
            used = fork_types(layers)
            if used and used <= vouched:
                cases += [pytest.param(entry, phase, id=f"{fork}: {entry.rel} {phase}")
                          for phase in ("TRAIN", "TEST")]
    return cases


CASES = _cases()


def test_the_record_names_every_fork_layer_once():
    for record in VOUCHERS["forks"].values():
        assert not set(record["vouched"]) & set(record["not_vouched"])
        assert not set(record["vouched"]) & upstream_layer_types()


def test_some_corpus_nets_are_vouched_for():
    require_corpus()
    assert len(CASES) >= 4, "the fork oracle would compare nothing"


def test_the_fork_build_is_named_a_fork_and_has_the_vouched_layers(fork_prefix, tmp_path):
    net = tmp_path / "net.prototxt"
    net.write_text('layer { name: "d" type: "Input" top: "d" input_param { shape { dim: 1 } } }\n')
    build = check_net(str(net), caffe=fork_prefix).caffe
    assert build.is_fork and build.pycaffe.startswith(str(PREFIX.resolve()))
    for record in VOUCHERS["forks"].values():
        assert set(record["vouched"]) <= set(build.extra)


@pytest.mark.parametrize("entry, phase", CASES)
def test_ptx_shapes_equal_the_forks_on_vouched_layers(fork_prefix, entry, phase):
    require_corpus()
    result = check_net(str(entry.path), phase, fallback_shape=FALLBACK, caffe=fork_prefix)
    if result.fatal is not None:
        pytest.skip(f"the fork rejects it: {result.fatal.message[:120]}")
    _assert_ptx_shapes_equal(entry, phase, result)


def _assert_ptx_shapes_equal(entry, phase: str, result, differing=()) -> None:
    """ptx's shapes of the net, fed the shapes Caffe gave the swapped data layers' and the
    stand-ins' tops, equal the fork's; blobs written by a layer type in ``differing`` (a known
    fork difference, recorded with its reason) aside."""
    ptx_file = load(str(entry.path))
    blobs = dict(result.blobs)
    fed = {top for layer in ptx_file.net.layers if layer.name in result.swapped + result.stood_in
           for top in layer.tops}
    skipped = {top for layer in ptx_file.net.layers if layer.type in differing for top in layer.tops}
    shapes = infer_file(ptx_file, phase, input_shapes={t: blobs[t] for t in fed if t in blobs})
    compared = 0
    for name, shape in blobs.items():
        mine = shapes.shape(name)
        if mine is None or "_split_" in name or name in skipped:
            continue
        compared += 1
        assert tuple(mine) == tuple(shape), f"blob {name}: ptx {mine}, fork {shape}"
    assert compared, "ptx knew no shape of this net"


# --- Each fork's own build ---------------------------------------------------------------------
UNKNOWN = 'layer { name: "x" type: "PtxNoSuchLayerType" top: "x" }\n'


def _registry(prefix: str, tmp_path) -> tuple:
    """(types Caffe's layer registry lists in its unknown-type message, the CaffeBuild that
    answered): every build has the message, whatever its pycaffe can list."""
    net = tmp_path / "net.prototxt"
    net.write_text(UNKNOWN)
    result = check_net(str(net), "TEST", caffe=prefix)
    assert result.fatal is not None, "Caffe built a layer of an unknown type"
    listed = re.search(r"known types: ([^)]*)\)", result.fatal.message)
    assert listed, result.fatal.message
    return set(listed.group(1).split(", ")), result.caffe


def test_every_build_judges_some_corpus_nets_and_records_each():
    require_corpus()
    for name, build in BUILDS.items():
        nets = judged_nets(name)
        assert nets, f"{name}: its judges {build['judges']} match no corpus net"
        keys = {f"{entry.rel} {phase}" for entry in nets for phase in PHASES}
        assert set(build["nets"]) == keys, f"{name}: record nets with tests/caffe/forkbuild.py {name}"


def test_a_file_is_judged_by_the_build_its_path_names():
    for name, build in BUILDS.items():
        for prefix in build["judges"]:
            judge = build_for(f"files/{prefix}models/net.prototxt")
            assert judge == name or prefix in BUILDS[judge]["judges"]
    soeaver = "files/soeaver__caffe-model/"   # one repository, nets of two forks
    assert build_for(soeaver + "det/rfcn/models/net.prototxt") == "rfcn-ms"   # py-R-FCN's Caffe
    assert build_for(soeaver + "seg/pspnet/models/net.prototxt") == "pspnet"
    assert build_for(soeaver + "cls/vgg/deploy.prototxt") is None


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_the_build_registers_the_forks_layer_types(name, tmp_path):
    """Types upstream lacks: the build's are its source's (less what it leaves out, with the
    reason recorded), and the source's are ptx's catalogue's for that fork."""
    build = BUILDS[name]
    catalogued = set(catalogued_fork(build.get("catalogue", name)).layer_types)
    assert catalogued <= set(build["registers"])
    assert set(build["registers"]) - catalogued == set(build.get("beyond_catalogue", {}))
    prefix = require_build(name)
    types, answered = _registry(prefix, tmp_path)
    assert "Python" in types, "built without the Python layer"
    assert types - upstream_layer_types() == set(build["registers"]) - set(build["not_built"])
    assert answered.pycaffe.startswith(str(Path(prefix).resolve()))
    # what ptx check says about it (from the caffe tool where pycaffe has no layer_type_list)
    assert set(answered.types) == types
    assert answered.describe().startswith("a fork (layer types upstream lacks: ")


def _net_cases():
    return [pytest.param(name, entry, phase, id=f"{name}: {entry.rel} {phase}")
            for name in sorted(BUILDS) for entry in judged_nets(name) for phase in PHASES]


@pytest.mark.parametrize("name, entry, phase", _net_cases())
def test_the_build_says_of_its_corpus_nets_what_is_recorded(name, entry, phase):
    """What the fork's own Caffe says is what fork_oracle.json records; where it builds the
    net, every blob shape ptx infers is the fork's."""
    prefix = require_build(name)
    recorded = BUILDS[name]["nets"].get(f"{entry.rel} {phase}")
    assert recorded is not None, f"not recorded: run tests/caffe/forkbuild.py {name}"
    said, result = checked(str(entry.path), phase, prefix, input_shapes(name, entry.rel))
    assert said[:RECORDED] == recorded
    if said == "builds":
        _assert_ptx_shapes_equal(entry, phase, result, BUILDS[name].get("shape_differences", {}))
