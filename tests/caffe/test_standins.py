"""``ptx check`` never imports a net's Python layers unless told to (real Caffe).

Upstream Caffe imports ``python_param.module`` while building the net; a net from a pull
request could so run any code.  The modules here write a mark file when imported.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus import REPO

pytestmark = pytest.mark.oracle

MODULE = '''import os
open(os.environ["PTX_TEST_MARK"], "a").write(__name__ + "\\n")
import caffe
class Layer(caffe.Layer):
    def setup(self, bottom, top): pass
    def reshape(self, bottom, top):
        top[0].reshape(bottom[0].data.shape[0], 5) if bottom else top[0].reshape(2, 3, 8, 8)
    def forward(self, bottom, top): pass
    def backward(self, top, propagate_down, bottom): pass
'''
NET = '''name: "python layers"
layer { name: "feed" type: "Python" top: "data"
  python_param { module: "mark_feed" layer: "Layer" } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
  convolution_param { num_output: 4 kernel_size: 3 } }
layer {
  name: "py"
  type: "Python"
  bottom: "conv"
  top: "out"
  python_param { module: "mark_mid" layer: "Layer" }
}
layer { name: "fc" type: "InnerProduct" bottom: "out" top: "fc" inner_product_param { num_output: 2 } }
'''
PY_LINE = NET.splitlines().index("layer {") + 1


@pytest.fixture
def setup(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    for name in ("mark_feed", "mark_mid"):
        (modules / f"{name}.py").write_text(MODULE)
    net = tmp_path / "net.prototxt"
    net.write_text(NET)
    mark = tmp_path / "imported.txt"
    env = dict(os.environ, PTX_TEST_MARK=str(mark))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(modules), env.get("PYTHONPATH")) if p)
    return net, mark, env


def ptx(env, *args):
    return subprocess.run([sys.executable, "-m", "prototxt_tools", "check", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


def test_python_layers_are_not_imported_by_default(pycaffe, setup):
    net, mark, env = setup
    run = ptx(env, net, "--input-shape", "data=2,3,8,8", "--input-shape", "out=2,5", "--json")
    assert run.returncode == 0, run.stderr
    assert not mark.exists(), "ptx check imported a module named by the net"
    result = json.loads(run.stdout)
    assert result["python_stand_ins"] == ["py"] and result["swapped_data_layers"] == ["feed"]
    blobs = {b["name"]: b["shape"] for b in result["blobs"]}
    assert blobs["out"] == [2, 5] and blobs["fc"] == [2, 2]
    assert [layer["name"] for layer in result["layers"]] == ["feed", "conv", "py", "fc"]
    assert result["inputs"] == ["data"] and result["outputs"] == ["fc"]
    plain = ptx(env, net, "--input-shape", "data=2,3,8,8", "--input-shape", "out=2,5")
    assert "stand-ins used: py (--trust-python-layers runs their code)" in plain.stdout


def test_unknown_shape_refuses_naming_layer_and_module(pycaffe, setup):
    net, mark, env = setup
    run = ptx(env, net, "--input-shape", "data=2,3,8,8")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"{net}:{PY_LINE}:1: error: Python layer 'py' (mark_mid.Layer)")
    assert "--input-shape out=" in run.stderr and "--trust-python-layers" in run.stderr
    assert not mark.exists()


def test_train_steps_refuse_stand_ins(pycaffe, setup):
    net, mark, env = setup
    run = ptx(env, net, "--input-shape", "data=2,3,8,8", "--input-shape", "out=2,5",
              "--train-steps", "1")
    assert run.returncode == 2 and "--train-steps needs the real Python layers 'py'" in run.stderr
    assert not mark.exists()


def test_trusted_python_layers_run(pycaffe, setup):
    net, mark, env = setup
    run = ptx(env, net, "--input-shape", "data=2,3,8,8", "--trust-python-layers", "--json")
    assert run.returncode == 0, run.stderr
    assert mark.read_text().split() == ["mark_mid"]  # the data layer is still swapped for Input
    assert {b["name"]: b["shape"] for b in json.loads(run.stdout)["blobs"]}["out"] == [2, 5]


@pytest.mark.parametrize("module, layer, reason", [
    ("no_such_module_for_ptx", "Layer", "ModuleNotFoundError: No module named 'no_such_module_for_ptx'"),
    ("this", "s", "TypeError: 'str' object is not callable"),
])
def test_trusted_failures_name_layer_and_reason(pycaffe, setup, module, layer, reason):
    net, mark, env = setup
    net.write_text(NET.replace('module: "mark_mid" layer: "Layer"',
                               f'module: "{module}" layer: "{layer}"'))
    run = ptx(env, net, "--input-shape", "data=2,3,8,8", "--trust-python-layers")
    assert run.returncode == 1, run.stderr
    first = run.stderr.splitlines()[0]
    assert first == (f"{net}:{PY_LINE}:1: error: Caffe: Python layer 'py' ({module}.{layer}): "
                     f"{reason}")
