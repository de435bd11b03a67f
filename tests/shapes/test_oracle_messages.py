"""Oracle tier: for nets Caffe rejects at setup, ptx's message is Caffe's fatal line, verbatim."""
from __future__ import annotations

import pytest

from .caffe_batch import run_jobs
from .helpers import error, layer, net

pytestmark = pytest.mark.oracle
SHAPE = (2, 3, 7, 7)
BROKEN = {
    "eltwise": net(SHAPE, layer("f", "Flatten", "data"), layer("t", "Eltwise", ["data", "f"])),
    "concat": net(SHAPE, layer("a", "Pooling", "data", "pooling_param { kernel_size: 2 stride: 2 }"),
                  layer("b", "Convolution", "data", "convolution_param { num_output: 1 kernel_size: 2 stride: 2 }"),
                  layer("t", "Concat", ["a", "b"])),
    "group": net(SHAPE, layer("t", "Convolution", "data", "convolution_param { num_output: 4 kernel_size: 3 group: 3 }")),
    "kernel": net(SHAPE, layer("t", "Convolution", "data", "convolution_param { num_output: 4 }")),
    "too-big": net(SHAPE, layer("t", "Convolution", "data", "convolution_param { num_output: 4 kernel_size: 11 }")),
    "pool-pad": net(SHAPE, layer("t", "Pooling", "data", "pooling_param { kernel_size: 2 pad: 2 }")),
    "reshape": net(SHAPE, layer("t", "Reshape", "data", "reshape_param { shape { dim: -1 dim: 5 } }")),
    "reshape-count": net(SHAPE, layer("t", "Reshape", "data", "reshape_param { shape { dim: 5 } }")),
    "slice": net(SHAPE, layer("t", "Slice", "data", "", ["t0", "t1"])),
    "crop": net(SHAPE, layer("p", "Pooling", "data", "pooling_param { kernel_size: 2 stride: 2 }"),
                layer("t", "Crop", ["data", "p"], "crop_param { offset: 5 }")),
    "axis": net(SHAPE, layer("t", "Softmax", "data", "softmax_param { axis: -5 }")),
    "labels": net(SHAPE, layer("label", "DummyData", [], "dummy_data_param { shape { dim: 2 dim: 2 } }"),
                  layer("t", "SoftmaxWithLoss", ["data", "label"])),
    "lrn": net(SHAPE, layer("t", "LRN", "data", "lrn_param { local_size: 4 }")),
    "scale": net(SHAPE, layer("t", "Scale", "data", "scale_param { axis: 2 num_axes: 3 }")),
}


@pytest.fixture(scope="module")
def fatals(pycaffe, tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    jobs = []
    for key, text in BROKEN.items():
        path = folder / f"{key}.prototxt"
        path.write_text(text)
        jobs.append({"key": key, "net": str(path), "phase": "TRAIN"})
    return run_jobs(jobs, pycaffe)


# Where the oracle build (brocolli-caffe 9.0.2) differs from BVLC master, ptx follows BVLC.
KNOWN_DIFFERENCES = {
    "eltwise": "brocolli-caffe dropped Eltwise's shape CHECK (BVLC eltwise_layer.cpp Reshape has it)",
}


@pytest.mark.parametrize("key", sorted(set(BROKEN) - set(KNOWN_DIFFERENCES)))
def test_message_is_caffes(fatals, key):
    assert "fatal" in fatals[key], "Caffe built the net"
    assert error(BROKEN[key], "t") == fatals[key]["fatal"]


@pytest.mark.parametrize("key", sorted(KNOWN_DIFFERENCES))
def test_known_differences_still_differ(fatals, key):
    """If the oracle starts rejecting these nets, its message must become the expected one."""
    if "fatal" in fatals[key]:
        assert error(BROKEN[key], "t") == fatals[key]["fatal"]
    else:
        assert error(BROKEN[key], "t"), KNOWN_DIFFERENCES[key]
