"""The PTX5xx rules (shape inference and weight copy) through the lint runner."""
from __future__ import annotations

import pytest

from prototxt_tools.lint import LintConfig, LintOptions
from prototxt_tools.lint.runner import lint_text

INPUT = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 7 dim: 7 } } }\n'
LABEL = 'layer { name: "label" type: "Input" top: "label" input_param { shape { dim: 1 } } }\n'


def lint(text: str, **options):
    problems = lint_text("net.prototxt", text, LintConfig(), LintOptions(**options))
    return [p for p in problems if p.code.startswith("PTX5")]


def test_concat_mismatch_names_the_diverging_branch():
    text = INPUT + (
        'layer { name: "pool" type: "Pooling" bottom: "data" top: "pool" pooling_param { kernel_size: 3 stride: 2 } }\n'
        'layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"\n'
        '  convolution_param { num_output: 2 kernel_size: 3 stride: 2 pad: 1 } }\n'
        'layer { name: "cat" type: "Concat" bottom: "pool" bottom: "conv" top: "cat" }\n')
    (found,) = lint(text)
    assert (found.code, found.line) == ("PTX501", 5)
    assert found.message.startswith("Check failed: top_shape[j] == bottom[i]->shape(j) (3 vs. 4)")
    assert "bottom 1 'conv' (1x2x4x4, from layer 'conv')" in found.message


def test_kernel_larger_than_padded_input_is_a_warning():
    text = INPUT + ('layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n'
                    '  convolution_param { num_output: 2 kernel_size: 8 stride: 2 } }\n')
    (found,) = lint(text)
    assert (found.code, found.severity) == ("PTX502", "warning")
    assert "window 8 is larger than the padded input (7)" in found.message


def test_label_count_and_reshape_and_other_checks():
    text = INPUT + LABEL + (
        'layer { name: "r" type: "Reshape" bottom: "data" top: "r" reshape_param { shape { dim: 5 } } }\n'
        'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "label" top: "loss" }\n'
        'layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 } }\n')
    codes = sorted(p.code for p in lint(text))
    assert codes == ["PTX503", "PTX504", "PTX505"]


@pytest.fixture
def caffemodel(tmp_path):
    from weights.models import add_layer, net_message, write
    net = net_message()
    add_layer(net, "fc", "InnerProduct", [(10, 147), (10,)])
    return write(net, tmp_path / "w.caffemodel")


def test_weight_copy_rule(caffemodel):
    text = INPUT + 'layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 5 } }\n'
    (found,) = lint(text, weights=caffemodel)
    assert found.code == "PTX506"
    assert found.message.startswith("Cannot copy param 0 weights from layer 'fc'; shape mismatch.")
    assert "rename layer 'fc'" in found.message
    same_outputs = text.replace("num_output: 5", "num_output: 10").replace("dim: 7 dim: 7", "dim: 8 dim: 8")
    (found,) = lint(same_outputs, weights=caffemodel)
    assert "the input size differs" in found.message
    assert lint(text.replace("num_output: 5", "num_output: 10"), weights=caffemodel) == []
