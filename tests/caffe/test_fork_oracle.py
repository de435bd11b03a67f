"""brocolli-caffe as a named fork oracle, only for the fork layers it can vouch for.

tests/caffe/fork_oracle.json records, per fork the corpus nets come from (SSD, R-FCN,
SegNet), which of brocolli's layers share that fork's setup and shape code.  Corpus nets of
those forks whose every non-upstream layer is vouched for (data layers aside: ptx check
swaps them for Input) are built in brocolli, and ptx's shapes must equal the fork's.
The fork build comes from ``tools/build-caffe.sh --fork brocolli``
(``$PTX_FORK_PREFIX``, default ~/.cache/ptx/caffe-brocolli); without it these tests skip,
under CI too: CI builds upstream only.
"""
from __future__ import annotations

import pytest

from corpus import files_of, require_corpus
from prototxt_tools.api import load
from prototxt_tools.caffe.check import check_net
from prototxt_tools.caffe.identity import upstream_layer_types
from prototxt_tools.shapes import infer_file

from .forkbuild import PREFIX, VOUCHERS, fork_prefix, fork_types  # noqa: F401 (fork_prefix: a fixture)

pytestmark = pytest.mark.oracle
FALLBACK = (1, 3, 300, 300)


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
    ptx_file = load(str(entry.path))
    blobs = dict(result.blobs)
    swapped = {top for layer in ptx_file.net.layers if layer.name in result.swapped
               for top in layer.tops}
    shapes = infer_file(ptx_file, phase, input_shapes={t: blobs[t] for t in swapped if t in blobs})
    compared = 0
    for name, shape in blobs.items():
        mine = shapes.shape(name)
        if mine is None or "_split_" in name:
            continue
        compared += 1
        assert tuple(mine) == tuple(shape), f"blob {name}: ptx {mine}, fork {shape}"
    assert compared, "ptx knew no shape of this net"
