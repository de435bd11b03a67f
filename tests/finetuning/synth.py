"""A caffemodel shaped like a net: every learnable layer's blobs with the shapes ptx infers,
filled with a small repeating pattern of values (written straight in the wire format:
protobuf's Python classes take minutes for the 60M floats of CaffeNet)."""
from __future__ import annotations

import math
from array import array

from prototxt_tools.api import load
from prototxt_tools.shapes import infer_file
from prototxt_tools.weights import targets_from_shapes
from prototxt_tools.wire import encode_length_field, encode_varint

# zero mean, unit variance; scaled per blob as He initialisation (std sqrt(2 / fan_in)) so
# activations neither vanish nor explode through deep nets, biases a small positive
# constant so ReLUs stay alive: the training steps then move the layers meant to train.
PATTERN = [1.2, -0.7, 0.3, -1.5, 0.9, -0.2, 1.6, -1.1, 0.1, -0.6]
BIAS = 0.1


def _length(number: int, payload: bytes) -> bytes:
    return encode_length_field(number, len(payload)) + payload


def _floats(count: int, scale: float) -> bytes:
    if len(PATTERN) > count:
        return array("f", [BIAS] * count).tobytes()
    values = array("f", [v * scale for v in PATTERN])
    return (values * (count // len(values) + 1))[:count].tobytes()


def _blob(shape) -> bytes:
    dims = b"".join(encode_varint(d) for d in shape)
    count = fan_in = 1
    for i, d in enumerate(shape):
        count *= d
        fan_in *= d if i else 1
    scale = math.sqrt(2.0 / max(fan_in, 1)) / 1.0
    data = _floats(count, scale) if len(shape) > 1 else array("f", [BIAS] * count).tobytes()
    return _length(7, _length(1, dims)) + _length(5, data)


def _layer(name: str, kind: str, shapes) -> bytes:
    body = _length(1, name.encode()) + _length(2, kind.encode())
    body += b"".join(_length(7, _blob(shape)) for shape in shapes)
    return _length(100, body)


def synthesize(net_path: str, out_path: str, phase: str = "TEST") -> list:
    """Write ``out_path``; returns the names of the layers stored."""
    ptx = load(net_path)
    if ptx.format != "v2" or ptx.doc.has("input"):
        from prototxt_tools.api import PtxFile
        from prototxt_tools.upgrade import upgrade_text
        ptx = PtxFile(upgrade_text(ptx.text, ptx.path).text, ptx.path)
    stored, parts = [], [_length(1, b"synthesized")]
    for layer, shapes, _ in targets_from_shapes(infer_file(ptx, phase)):
        if shapes and layer.name not in stored:
            parts.append(_layer(layer.name, layer.type, shapes))
            stored.append(layer.name)
    with open(out_path, "wb") as fh:
        fh.write(b"".join(parts))
    return stored
