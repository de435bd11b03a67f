"""Which states a net is linted in: a net fed in one phase only is built in that phase
alone when linted by itself, and in the state its solver gives it otherwise."""
from __future__ import annotations

from prototxt_tools.lint import LintConfig, LintOptions, lint_files

TEST_ONLY = '''layer { name: "data" type: "Input" top: "data" include { phase: TEST }
  input_param { shape { dim: 1 dim: 3 dim: 4 dim: 4 } } }
layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"
  inner_product_param { num_output: 2 weight_filler { type: "xavier" } } }
'''


def _codes(path, tmp_path):
    found = lint_files([str(path)], LintConfig(), LintOptions(root=str(tmp_path))).problems
    return [(p.code, p.path.rsplit("/", 1)[-1]) for p in found if p.severity == "error"]


def test_a_net_fed_only_in_test_is_not_built_for_training(tmp_path):
    """MobileNetSSD_test.prototxt: a solver's test_net; its TRAIN build is no Caffe's."""
    net = tmp_path / "test_net.prototxt"
    net.write_text(TEST_ONLY)
    assert _codes(net, tmp_path) == []
    train_only = tmp_path / "train_net.prototxt"
    train_only.write_text(TEST_ONLY.replace("phase: TEST", "phase: TRAIN"))
    assert _codes(train_only, tmp_path) == []


def test_a_solver_still_builds_it_in_the_phase_it_gives(tmp_path):
    """The same net as a solver's only net (`net:` with test_iter) is also built in TEST,
    where its TRAIN-only data layer is missing: Caffe's Unknown bottom blob."""
    (tmp_path / "net.prototxt").write_text(TEST_ONLY.replace("phase: TEST", "phase: TRAIN"))
    solver = tmp_path / "solver.prototxt"
    solver.write_text('net: "net.prototxt"\ntest_iter: 1\ntest_interval: 10\nbase_lr: 0.1\n'
                      'lr_policy: "fixed"\nsolver_mode: CPU\n')
    assert ("PTX101", "net.prototxt") in _codes(solver, tmp_path)
