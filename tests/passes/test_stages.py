"""Cuts and partial freezes land on stage boundaries (issue 13 item 3): after
``early-features`` or ``--freeze-fraction 0.5``, exactly one feature map leaves the
frozen part of the net, and it is a block's output (a residual sum, a Concat, a
pooling), never an SE gate's 1x1 conv or a bottleneck's middle.  Checked on every
ResNet, ResNeXt, DenseNet, Inception, GoogLeNet, VGG, AlexNet and SqueezeNet of the
corpus and on a small SE-ResNet written here (the corpus has none)."""
from __future__ import annotations

import re

import pytest

import prototxt_tools
from corpus import files_of, require_corpus
from prototxt_tools.edits import apply_edits
from prototxt_tools.errors import PtxError
from prototxt_tools.net.blobs import learnable_blob_count
from prototxt_tools.passes import get_pass
from prototxt_tools.passes.base import NOTHING
from prototxt_tools.passes.heads import main_head

FAMILIES = re.compile(r"resnet|resnext|densenet|inception|googlenet|xception|vgg|squeeze|"
                      r"caffenet|alexnet|wrn", re.I)
BLOCK_OUTPUTS = ("Eltwise", "Concat", "Pooling", "LRN")


def _layer(name, kind, bottoms, top, extra=""):
    lines = [f'layer {{ name: "{name}" type: "{kind}"']
    lines += [f'  bottom: "{b}"' for b in bottoms] + [f'  top: "{top}"', f"  {extra}", "}"]
    return "\n".join(lines) + "\n"


def _conv(name, bottom, n, k=1, stride=1):
    return (_layer(name, "Convolution", [bottom], name,
                   f"convolution_param {{ num_output: {n} kernel_size: {k} stride: {stride} "
                   f"pad: {k // 2} bias_term: false }}")
            + _layer(name + "_bn", "BatchNorm", [name], name)
            + _layer(name + "_scale", "Scale", [name], name, "scale_param { bias_term: true }"))


def _se_block(name, bottom, n, stride):
    """A bottleneck with a squeeze-and-excitation gate, as SENet's Caffe release writes it."""
    text = _conv(name + "_1x1_a", bottom, n // 4, 1, stride)
    text += _layer(name + "_relu_a", "ReLU", [name + "_1x1_a"], name + "_1x1_a")
    text += _conv(name + "_3x3", name + "_1x1_a", n // 4, 3)
    text += _layer(name + "_relu_b", "ReLU", [name + "_3x3"], name + "_3x3")
    text += _conv(name + "_1x1_b", name + "_3x3", n)
    text += _layer(name + "_gpool", "Pooling", [name + "_1x1_b"], name + "_gpool",
                   "pooling_param { pool: AVE global_pooling: true }")
    text += _layer(name + "_down", "Convolution", [name + "_gpool"], name + "_down",
                   f"convolution_param {{ num_output: {n // 16} kernel_size: 1 }}")
    text += _layer(name + "_down_relu", "ReLU", [name + "_down"], name + "_down")
    text += _layer(name + "_up", "Convolution", [name + "_down"], name + "_up",
                   f"convolution_param {{ num_output: {n} kernel_size: 1 }}")
    text += _layer(name + "_prob", "Sigmoid", [name + "_up"], name + "_up")
    text += _layer(name + "_gate", "Scale", [name + "_1x1_b", name + "_up"], name + "_gate",
                   "scale_param { axis: 0 }")
    shortcut = bottom
    if stride != 1 or name.endswith("_1"):
        text += _conv(name + "_proj", bottom, n, 1, stride)
        shortcut = name + "_proj"
    text += _layer(name, "Eltwise", [shortcut, name + "_gate"], name)
    return text + _layer(name + "_relu", "ReLU", [name], name)


def se_resnet() -> str:
    text = 'name: "se-resnet-mini"\n'
    text += _layer("data", "Input", [], "data", "input_param { shape { dim: 1 dim: 3 "
                                                "dim: 64 dim: 64 } }")
    text += _conv("conv1", "data", 16, 3, 2)
    text += _layer("pool1", "Pooling", ["conv1"], "pool1",
                   "pooling_param { pool: MAX kernel_size: 2 stride: 2 }")
    bottom = "pool1"
    for stage, n in ((2, 64), (3, 128), (4, 256)):
        for block in (1, 2):
            name = f"conv{stage}_{block}"
            text += _se_block(name, bottom, n, 2 if block == 1 and stage > 2 else 1)
            bottom = name
    text += _layer("pool5", "Pooling", [bottom], "pool5",
                   "pooling_param { pool: AVE global_pooling: true }")
    text += _layer("classifier", "InnerProduct", ["pool5"], "classifier",
                   "inner_product_param { num_output: 1000 }")
    return text + _layer("prob", "Softmax", ["classifier"], "prob")


def _family_nets():
    found = [pytest.param(f, id=f.rel) for f in files_of("net")
             if f.format == "v2" and FAMILIES.search(f.rel) and "rcnn" not in f.rel]
    return found or [pytest.param(None, id="corpus-missing")]


def _frozen(ptx_file) -> set:
    graph = ptx_file.graph("TRAIN")
    return {v.index for v in graph.layers() if v.params and learnable_blob_count(v)
            and v.type != "BatchNorm" and all(p.lr_mult == 0 for p in v.params)}


def split_points(ptx_file, frozen_before: set) -> list:
    """Parameter-free layers X feeding the main head such that every layer feeding the
    head is above X, X, or below X, every learnable layer above X is frozen and every
    newly frozen one is above X: the frozen part ends with X's output."""
    import networkx as nx
    graph = ptx_file.graph("TRAIN")
    head = [v for v in graph.layers() if v.name == main_head(ptx_file)][0]
    feeding = {v.index for v in graph.upstream(head)}
    frozen = _frozen(ptx_file)
    learnable = {v.index for v in graph.layers() if learnable_blob_count(v)
                 and v.type != "BatchNorm"}
    found = []
    for index in sorted(feeding):
        view = graph.layer(index)
        if learnable_blob_count(view) != 0:
            continue
        above = nx.ancestors(graph.graph, index)
        below = nx.descendants(graph.graph, index)
        if feeding - above - below - {index}:
            continue
        if above & learnable <= frozen and frozen - frozen_before <= above:
            found.append(view)
    return found


def _check(ptx_file, passes):
    """The pass alone (a cut without a new head may break a Reshape after the head, which
    the edit driver rightly refuses; the cut's place is what is checked here)."""
    (name, params), = passes
    try:
        outcome = get_pass(name).run(ptx_file, **params)
    except PtxError as exc:
        pytest.fail(exc.message)
    if not outcome.edits:
        assert any(n.startswith(NOTHING) for n in outcome.notes)
        return None
    result = prototxt_tools.load(apply_edits(ptx_file.text, outcome.edits))
    points = split_points(result, _frozen(ptx_file))
    assert points, (passes, "the frozen part is not everything above one layer")
    ends = [p for p in points if p.type in BLOCK_OUTPUTS]
    assert ends, (passes, [(p.name, p.type) for p in points])
    return ends[0].name


@pytest.mark.parametrize("passes", [[("strategy", {"name": "early-features"})],
                                    [("freeze_fraction", {"fraction": 0.5})]])
def test_se_resnet_cuts_after_a_block(passes):
    name = _check(prototxt_tools.load(se_resnet()), passes)
    assert re.fullmatch(r"conv\d_\d|pool1", name), name


@pytest.mark.parametrize("corpus_file", _family_nets())
@pytest.mark.parametrize("passes", [[("strategy", {"name": "early-features"})],
                                    [("freeze_fraction", {"fraction": 0.5})]])
def test_corpus_families_cut_on_boundaries(corpus_file, passes):
    require_corpus()
    ptx_file = prototxt_tools.load(str(corpus_file.path))
    if not main_head(ptx_file):
        pytest.skip("no classifier head")
    _check(ptx_file, passes)
