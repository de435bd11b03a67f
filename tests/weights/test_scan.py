"""The caffemodel scanner: formats, shapes, and one-line errors for what is not a caffemodel."""
from __future__ import annotations

import os

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.weights import scan_caffemodel

from .models import add_layer, net_message, write


def test_v2_layers_with_shape_blobs(tmp_path):
    net = net_message()
    net.name = "tiny"
    add_layer(net, "data", "Input", [])
    add_layer(net, "conv1", "Convolution", [(4, 3, 3, 3), (4,)])
    scan = scan_caffemodel(write(net, tmp_path / "a.caffemodel"))
    assert scan.name == "tiny" and scan.format == "v2"
    assert [(l.name, l.type, l.blob_shapes) for l in scan.layers] == [
        ("data", "Input", []), ("conv1", "Convolution", [(4, 3, 3, 3), (4,)])]
    assert [b.values for b in scan.layers[1].blobs] == [108, 4]
    assert not scan.layers[1].blobs[0].legacy


def test_v1_layers_with_legacy_dims(tmp_path):
    net = net_message()
    add_layer(net, "fc6", "", [(7, 5), (7,)], legacy=True, v1_type=14)
    scan = scan_caffemodel(write(net, tmp_path / "v1.caffemodel"))
    layer = scan.layers[0]
    assert (scan.format, layer.type, layer.blob_shapes) == ("v1", "InnerProduct", [(1, 1, 7, 5), (1, 1, 1, 7)])
    assert all(b.legacy for b in layer.blobs)


def test_unpacked_shape_dims_are_read(tmp_path):
    # dims written one varint field each (what a non-packing writer produces)
    blob = bytes([0x3A, 0x04, 0x08, 0x02, 0x08, 0x03])           # shape { dim: 2 dim: 3 }
    layer = b"\x0a\x01f" + b"\x3a" + bytes([len(blob)]) + blob      # name "f", blobs {...}
    data = b"\xa2\x06" + bytes([len(layer)]) + layer                # field 100
    path = tmp_path / "u.caffemodel"
    path.write_bytes(data)
    assert scan_caffemodel(str(path)).layers[0].blob_shapes == [(2, 3)]


@pytest.mark.parametrize("content, expected", [
    (b"", "empty file"),
    (b'name: "CaffeNet"\nlayer {\n', "text file (a .prototxt?)"),
    (b"\x89HDF\r\n\x1a\n" + bytes(100), "HDF5"),
    (b"\x0a\x05ab", "truncated"),
    (b"\x78\x80\x00", "not part of a NetParameter"),
    (b"\x0f\x00", "unsupported wire type"),
    (b"\x0a\x02ab", "holds no layers"),
])
def test_not_a_caffemodel(tmp_path, content, expected):
    path = tmp_path / "bad.caffemodel"
    path.write_bytes(content)
    with pytest.raises(PtxError) as info:
        scan_caffemodel(str(path))
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_truncated_real_model(tmp_path):
    net = net_message()
    add_layer(net, "conv1", "Convolution", [(8, 3, 3, 3), (8,)])
    data = net.SerializeToString()
    path = tmp_path / "cut.caffemodel"
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(PtxError, match="truncated"):
        scan_caffemodel(str(path))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(PtxError, match="No such file"):
        scan_caffemodel(str(tmp_path / "nope.caffemodel"))
    with pytest.raises(PtxError, match="directory"):
        scan_caffemodel(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_weights_kind_is_the_one_test_of_which_loader_caffe_uses(tmp_path):
    from prototxt_tools.weights.hdf5 import HDF5_MAGIC
    from prototxt_tools.weights.scan import weights_kind
    binary = net_message()
    add_layer(binary, "fc", "InnerProduct", [(5, 3), (5,)])
    assert weights_kind(write(binary, tmp_path / "w.caffemodel")) == "binary"
    hdf5 = tmp_path / "w.caffemodel.h5"
    hdf5.write_bytes(b"\0" * 512 + HDF5_MAGIC + b"\0" * 64)   # after a 512-byte user block
    assert weights_kind(str(hdf5)) == "hdf5"
    with pytest.raises(PtxError, match="is a directory"):
        weights_kind(str(tmp_path))
    with pytest.raises(PtxError, match="cannot read weights"):
        weights_kind(str(tmp_path / "missing"))
