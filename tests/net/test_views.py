"""Net-level fields, solver and labelmap views."""
from __future__ import annotations

from prototxt_tools.net import LabelMap, Net, Solver
from prototxt_tools.schema import load_schema
from prototxt_tools.syntax import parse

NET = '''name: "n"
input: "data"
input_shape { dim: 1 dim: 3 dim: 4 dim: 4 }
input: "im_info"
input_shape { dim: 1 dim: 3 }
force_backward: true
state { phase: TRAIN stage: "x" }
layer { name: "a" type: "ReLU" bottom: "data" top: "a" }
layer { name: "a" type: "ReLU" bottom: "a" top: "a" }
'''


def test_net_fields():
    net = Net(parse(NET))
    assert (net.name, net.format, net.force_backward) == ("n", "v2", True)
    assert [(i.name, i.shape) for i in net.inputs] == [("data", (1, 3, 4, 4)), ("im_info", (1, 3))]
    assert net.inputs[1].node.line == 4 and net.inputs[1].shape_node.line == 5
    assert (net.state.phase, net.state.stages) == ("TRAIN", ("x",))
    assert [l.index for l in net.layer_by_name("a")] == [0, 1]
    assert Net(parse('input: "d"')).inputs[0].shape is None
    assert Net(parse("")).force_backward is False


SOLVER = '''net: "a.prototxt"
test_net: "t1.prototxt"
test_net: "t2.prototxt"
test_iter: 10
test_iter: 20
base_lr: 0.01
test_state { stage: "val" }
train_net_param { name: "inline" layer { name: "l" type: "ReLU" } }
'''


def test_solver_view():
    solver = Solver(parse(SOLVER), load_schema())
    assert (solver.net.path, solver.net.node.line) == ("a.prototxt", 1)
    assert [r.path for r in solver.test_net] == ["t1.prototxt", "t2.prototxt"]
    assert solver.train_net is None and solver.net_param is None
    assert solver.test_iter == [10, 20]
    assert solver.get("base_lr") == 0.01
    assert solver.get("momentum") == 0.0 and not solver.is_set("momentum")
    assert solver.get("type") == "SGD"
    assert solver.test_state[0].scalars("stage") == ["val"]
    inline = solver.train_net_param
    assert (inline.name, [l.name for l in inline.layers]) == ("inline", ["l"])
    assert Solver(parse(SOLVER)).get("type") is None   # no schema, no invented default


def test_labelmap_items():
    text = 'item { name: "none" label: 0 display_name: "background" }\nitem { name: "cat" label: 1 }'
    items = LabelMap(parse(text)).items
    assert [(i.name, i.label, i.display_name) for i in items] == [
        ("none", 0, "background"), ("cat", 1, None)]
    assert items[1].node.line == 2
