"""Lint findings and --weights (copy preview) on the diagram."""
from __future__ import annotations

import pytest

from corpus import REPO
from prototxt_tools.api import load
from prototxt_tools.cli import main
from prototxt_tools.draw import diagram_for
from prototxt_tools.draw.dot import LINT_COLOR, node_attributes

TUNED = REPO / "fixtures" / "finetune" / "tuned.prototxt"


def test_lint_finding_marks_its_layer():
    text = TUNED.read_text().replace("num_output: 17", "num_output: 17 bias_term: false")
    found = {n.name: n for n in diagram_for(load(text), "TRAIN").nodes}
    assert any("PTX201" in p for p in found["fc_flowers"].problems)
    assert not found["conv2"].problems
    attrs = node_attributes(found["fc_flowers"])
    assert attrs["color"] == LINT_COLOR and "Too many params" in attrs["tooltip"]


def _caffemodel(path):
    classes = pytest.importorskip("prototxt_tools.schema").descriptor_pool_for()
    net = classes["caffe.NetParameter"]()
    for name, kind, shapes in (("conv1", "Convolution", [(16, 3, 3, 3), (16,)]),
                               ("conv2", "Convolution", [(32, 16, 3, 3), (32,)]),
                               ("fc", "InnerProduct", [(1000, 8192), (1000,)])):
        layer = net.layer.add(name=name, type=kind)
        for shape in shapes:
            blob = layer.blobs.add()
            blob.shape.dim.extend(shape)
    path.write_bytes(net.SerializeToString())
    return path


def test_weights_mark_layers_that_start_from_filler(tmp_path):
    weights = _caffemodel(tmp_path / "base.caffemodel")
    found = {n.name: n for n in diagram_for(load(str(TUNED)), "TRAIN", weights=str(weights)).nodes}
    assert found["reduce"].status == "fresh" and found["fc_flowers"].status == "fresh"
    assert found["conv2"].status == "trainable" and found["conv1"].status == "frozen"
    out = tmp_path / "n.dot"
    assert main(["draw", str(TUNED), "--weights", str(weights), "-o", str(out)]) == 0
    assert 'class="layer fresh"' in out.read_text()
