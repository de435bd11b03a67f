"""Each upgrade step on small hand-written nets: exact expected text, comments and layout kept."""
from __future__ import annotations

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.net.kind import net_format
from prototxt_tools.syntax import parse
from prototxt_tools.upgrade import needs_upgrade, upgrade_text

V1_PARAMS = ('layers {\n  name: "conv1"  # first conv\n  type: CONVOLUTION\n  # learning rates\n'
             '  blobs_lr: 1  # weights\n  blobs_lr: 2  # bias\n  weight_decay: 1\n'
             '  weight_decay: 0\n  convolution_param { num_output: 20 }\n}\n')
V1_PARAMS_OUT = ('layer {\n  name: "conv1"  # first conv\n  type: "Convolution"\n  # learning rates\n'
                 '  param {\n    lr_mult: 1  # weights\n    decay_mult: 1\n  }\n'
                 '  param {\n    lr_mult: 2  # bias\n    decay_mult: 0\n  }\n'
                 '  convolution_param { num_output: 20 }\n}\n')
V1_CRLF_TABS = ("layers {\r\n\tname: 'fc'\r\n\ttype: INNER_PRODUCT\r\n\tparam: 'w'\r\n\tparam: 'b'\r\n"
                "\tblob_share_mode: PERMISSIVE\r\n\tblobs_lr: 1\r\n}\r\n")
V1_CRLF_TABS_OUT = ("layer {\r\n\tname: 'fc'\r\n\ttype: 'InnerProduct'\r\n\tparam {\r\n\t\tname: 'w'\r\n"
                    "\t\tshare_mode: PERMISSIVE\r\n\t\tlr_mult: 1\r\n\t}\r\n\tparam {\r\n"
                    "\t\tname: 'b'\r\n\t}\r\n}\r\n")
V1_INLINE = 'layers { name: "r" type: RELU bottom: "a" top: "a" blobs_lr: 1 blobs_lr: 2 }\n'
V1_INLINE_OUT = ('layer { name: "r" type: "ReLU" bottom: "a" top: "a" param { lr_mult: 1 } '
                 'param { lr_mult: 2 } }\n')
V1_NUMERIC_TYPE = 'layers {\n  name: "s"\n  type: 20\n}\n'
V1_NUMERIC_TYPE_OUT = 'layer {\n  name: "s"\n  type: "Softmax"\n}\n'

DATA = ('layers {\n  name: "data"\n  type: DATA\n  data_param {\n    source: "db"\n'
        '    # pixel scale\n    scale: 0.00390625\n    mirror: true  # flip\n  }\n}\n'
        'layers {\n  name: "d2"\n  type: IMAGE_DATA\n  image_data_param { source: "l" crop_size: 227 }\n'
        '  transform_param {\n    crop_size: 100\n    mean_value: 104\n  }\n}\n')
DATA_OUT = ('layer {\n  name: "data"\n  type: "Data"\n  data_param {\n    source: "db"\n  }\n'
            '  transform_param {\n    # pixel scale\n    scale: 0.00390625\n    mirror: true  # flip\n'
            '  }\n}\nlayer {\n  name: "d2"\n  type: "ImageData"\n  image_data_param { source: "l" }\n'
            '  transform_param {\n    mean_value: 104\n    crop_size: 227\n  }\n}\n')

V0 = '''name: "old"
input: "data"
layers {
  # padding before conv
  layer {
    name: "pad1"
    type: "padding"
    pad: 2
  }
  bottom: "data"
  top: "pad1"
}
layers {
  layer {  # conv layer
    name: "conv1"
    type: "conv"
    num_output: 8  # eight
    kernelsize: 5
    weight_filler {
      type: "xavier"
    }
    blobs_lr: 1.
    weight_decay: 0
    meanfile: "m.binaryproto"
  }
  bottom: "pad1"
  top: "conv1"
}
layers {
  layer { name: "relu1" type: "relu" num_output: 3 }
  bottom: "conv1"
  top: "conv1"
}
'''
V0_OUT = '''name: "old"
# ptx upgrade: Caffe drops an `input` without input_shape or input_dim:
# input: "data"
# padding before conv
layer {
  # conv layer
  name: "conv1"
  type: "Convolution"
  convolution_param {
    num_output: 8  # eight
    kernel_size: 5
    weight_filler {
      type: "xavier"
    }
    pad: 2
  }
  param {
    lr_mult: 1.
    decay_mult: 0
  }
  transform_param {
    mean_file: "m.binaryproto"
  }
  bottom: "data"
  top: "conv1"
}
layer {
  name: "relu1"
  type: "ReLU"
  # ptx upgrade: Unknown parameter num_output for layer type relu:
  # num_output: 3
  bottom: "conv1"
  top: "conv1"
}
'''

INPUT_DIM = ('name: "n"\n# the input\ninput: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\n'
             'input_dim: 8\nlayer {\n  name: "r"\n  type: "ReLU"\n  bottom: "data"\n  top: "r"\n}\n')
INPUT_DIM_OUT = ('name: "n"\n# the input\nlayer {\n  name: "input"\n  type: "Input"\n  top: "data"\n'
                 '  input_param {\n    shape {\n      dim: 1\n      dim: 3\n      dim: 8\n'
                 '      dim: 8\n    }\n  }\n}\nlayer {\n  name: "r"\n  type: "ReLU"\n'
                 '  bottom: "data"\n  top: "r"\n}\n')
INPUT_SHAPE_AFTER = ('# first\nlayer {\n    name: "r"\n    type: "ReLU"\n    bottom: "a"\n    top: "r"\n}\n'
                     'input: "a"\ninput_shape { dim: 2 }\n')
INPUT_SHAPE_AFTER_OUT = ('layer {\n    name: "input"\n    type: "Input"\n    top: "a"\n'
                         '    input_param {\n        shape { dim: 2 }\n    }\n}\n# first\nlayer {\n'
                         '    name: "r"\n    type: "ReLU"\n    bottom: "a"\n    top: "r"\n}\n')

BATCHNORM = ('layer {\n  name: "bn"\n  type: "BatchNorm"\n  param { lr_mult: 1 }\n'
             '  param {\n    lr_mult: 0\n    decay_mult: 0\n  }\n  param {\n    name: "v"\n  }\n}\n')
BATCHNORM_OUT = ('layer {\n  name: "bn"\n  type: "BatchNorm"\n  param { lr_mult: 0 decay_mult: 0 }\n'
                 '  param {\n    lr_mult: 0\n    decay_mult: 0\n  }\n  param {\n    name: "v"\n'
                 '    lr_mult: 0\n    decay_mult: 0\n  }\n}\n')
SOLVER = 'base_lr: 0.01\nsolver_type: ADAM  # adam\nmomentum: 0.9\n'
SOLVER_OUT = 'base_lr: 0.01\ntype: "Adam"  # adam\nmomentum: 0.9\n'

CASES = [
    ("v1-params-comments", V1_PARAMS, V1_PARAMS_OUT),
    ("v1-crlf-tabs-single-quotes", V1_CRLF_TABS, V1_CRLF_TABS_OUT),
    ("v1-one-line", V1_INLINE, V1_INLINE_OUT),
    ("v1-numeric-type", V1_NUMERIC_TYPE, V1_NUMERIC_TYPE_OUT),
    ("data-transform", DATA, DATA_OUT),
    ("v0-padding-fold-and-drops", V0, V0_OUT),
    ("input-dim", INPUT_DIM, INPUT_DIM_OUT),
    ("input-shape-after-layers", INPUT_SHAPE_AFTER, INPUT_SHAPE_AFTER_OUT),
    ("batchnorm", BATCHNORM, BATCHNORM_OUT),
    ("solver-type", SOLVER, SOLVER_OUT),
]


@pytest.mark.parametrize("source, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_upgrade_produces_expected_text(source, expected):
    result = upgrade_text(source)
    assert result.text == expected
    assert result.needed and result.changes
    assert needs_upgrade(parse(source))


@pytest.mark.parametrize("source", [c[2] for c in CASES], ids=[c[0] for c in CASES])
def test_upgraded_text_is_stable(source):
    again = upgrade_text(source)
    assert again.text == source
    assert not again.needed and not again.changes
    assert not needs_upgrade(parse(source))


@pytest.mark.parametrize("source", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_result_is_v2_and_keeps_comments(source):
    doc = parse(upgrade_text(source).text)
    if doc.has("layer") or doc.has("layers"):
        assert net_format(doc) == "v2"
    before = [c for _, c in parse(source).comments()]
    after = [c for _, c in doc.comments()]
    assert all(after.count(c) >= before.count(c) for c in before)


ERRORS = [
    ("mixed", 'layer { name: "a" }\nlayers { name: "b" type: RELU }\n',
     "Refusing to upgrade inconsistent NetParameter input"),
    ("both-solver-types", 'solver_type: SGD\ntype: "Adam"\n',
     "old solver_type field (enum) and new type field (string) cannot be both specified"),
    ("unknown-solver-type", "solver_type: FANCY\n", "Unknown SolverParameter solver_type: FANCY"),
    ("unknown-v0-type", 'layers { layer { name: "x" type: "interp" } }\n', "Unknown layer name: interp"),
    ("unknown-v1-type", 'layers { name: "x" type: INTERP }\n',
     "Unknown V1LayerParameter layer type: INTERP"),
    ("v0-unknown-bottom", 'layers { layer { name: "x" type: "relu" } bottom: "nope" top: "x" }\n',
     "Unknown blob input nope to layer 0"),
    ("padding-into-relu", 'input: "d"\nlayers { layer { name: "p" type: "padding" pad: 1 } '
     'bottom: "d" top: "p" }\nlayers { layer { name: "r" type: "relu" } bottom: "p" top: "r" }\n',
     "Padding layer input to non-convolutional / non-pooling layer type relu"),
    ("input-dim-short", 'input: "d"\ninput_dim: 1\ninput_dim: 3\n', "1 inputs need 4 input_dim values"),
]


@pytest.mark.parametrize("source, message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_impossible_upgrades_are_ptx_errors(source, message):
    with pytest.raises(PtxError) as info:
        upgrade_text(source, "net.prototxt")
    assert message in info.value.message
    assert str(info.value).startswith("net.prototxt:")


def test_v2_net_and_labelmap_are_left_alone():
    for text in ('layer { name: "a" type: "ReLU" }\n', 'item { name: "bg" label: 0 }\n'):
        result = upgrade_text(text)
        assert (result.text, result.needed, result.changes) == (text, False, [])


def test_syntax_error_becomes_ptx_error_with_position():
    with pytest.raises(PtxError) as info:
        upgrade_text("layers {\n  name: \n", "bad.prototxt")
    assert info.value.path == "bad.prototxt" and info.value.line == 3
