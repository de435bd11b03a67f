"""Caffemodels for tests, written with protobuf classes of ptx's own schema (no Caffe needed)."""
from __future__ import annotations

from prototxt_tools.schema import descriptor_pool_for


def net_message():
    return descriptor_pool_for()["caffe.NetParameter"]()


def add_layer(net, name: str, kind: str, blobs, legacy: bool = False, v1_type: int = 0):
    """``blobs``: list of shapes; values are 0, 1, 2, ... per blob.  ``v1_type``: a V1 entry."""
    entry = net.layers.add() if v1_type else net.layer.add()
    entry.name = name
    entry.type = v1_type if v1_type else kind
    for shape in blobs:
        blob = entry.blobs.add()
        if legacy:
            padded = (1,) * (4 - len(shape)) + tuple(shape)
            blob.num, blob.channels, blob.height, blob.width = padded
        else:
            blob.shape.dim.extend(shape)
        size = 1
        for d in shape:
            size *= d
        blob.data.extend(float(i) for i in range(size))
    return entry


def write(net, path) -> str:
    with open(path, "wb") as fh:
        fh.write(net.SerializeToString())
    return str(path)


def parse(path):
    net = net_message()
    with open(path, "rb") as fh:
        net.ParseFromString(fh.read())
    return net
