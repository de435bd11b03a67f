"""Small nets written inline: one Input layer and the layers under test."""
from __future__ import annotations

from prototxt_tools.api import load
from prototxt_tools.shapes import infer_file


def net(shape, *layers: str) -> str:
    dims = " ".join(f"dim: {d}" for d in shape)
    head = f'layer {{ name: "data" type: "Input" top: "data" input_param {{ shape {{ {dims} }} }} }}\n'
    return head + "\n".join(layers) + "\n"


def layer(name: str, kind: str, bottoms, params: str = "", tops=None) -> str:
    bottoms = [bottoms] if isinstance(bottoms, str) else bottoms
    tops = tops or [name]
    wiring = " ".join(f'bottom: "{b}"' for b in bottoms) + " " + " ".join(f'top: "{t}"' for t in tops)
    return f'layer {{ name: "{name}" type: "{kind}" {wiring} {params} }}'


def infer(text: str, phase: str = "TRAIN", **given):
    return infer_file(load(text), phase, input_shapes=given or None)


def entry(text: str, name: str, **given):
    result = infer(text, **given)
    return next(e for e in result.layers if e.layer.name == name)


def tops(text: str, name: str, **given):
    return entry(text, name, **given).tops


def error(text: str, name: str, **given) -> str:
    found = entry(text, name, **given)
    assert found.status == "error", (found.status, found.tops)
    return found.error.message
