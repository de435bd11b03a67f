"""Blob wiring as Caffe's InsertSplits/Net::Init do it (caffe_semantics.md §2)."""
from __future__ import annotations

from prototxt_tools.graph import NetState, build_graph
from prototxt_tools.graph.state import HINT
from prototxt_tools.net import Net
from prototxt_tools.syntax import parse

TRAIN, TEST = NetState("TRAIN"), NetState("TEST")


def _graph(text: str, state=TRAIN):
    return build_graph(Net(parse(text)), state, "t.prototxt")


def _l(name, type_, bottoms=(), tops=(), extra=""):
    parts = [f'name: "{name}" type: "{type_}"']
    parts += [f'bottom: "{b}"' for b in bottoms] + [f'top: "{t}"' for t in tops]
    return "layer { " + " ".join(parts) + f" {extra} }}\n"


CHAIN = (_l("data", "Input", (), ("data",)) + _l("conv", "Convolution", ("data",), ("conv",))
         + _l("bn", "BatchNorm", ("conv",), ("conv",)) + _l("relu", "ReLU", ("conv",), ("conv",))
         + _l("pool", "Pooling", ("conv",), ("pool",)) + _l("fc", "InnerProduct", ("pool",), ("fc",))
         + _l("loss", "SoftmaxWithLoss", ("fc", "data"), ("loss",)))


def test_bottoms_read_the_latest_earlier_write():
    graph = _graph(CHAIN)
    assert graph.problems == []
    assert graph.producer(2, 0).key == "conv@0"
    assert graph.producer(3, 0).key == "conv@1"
    assert graph.producer(4, 0).key == "conv@2"
    assert graph.producer_layer(4, 0).name == "relu"
    assert [b.key for b in graph.blobs("conv")] == ["conv@0", "conv@1", "conv@2"]
    assert [b.in_place for b in graph.blobs("conv")] == [False, True, True]
    assert graph.graph.edges[3, 4]["blob"] == "conv@2"


def test_in_place_chain_from_any_member():
    graph = _graph(CHAIN)
    for index in (1, 2, 3):
        assert [l.name for l in graph.in_place_chain(index)] == ["conv", "bn", "relu"]
    assert [l.name for l in graph.in_place_chain(4)] == ["pool"]


def test_inputs_outputs_consumers_and_reachability():
    graph = _graph(CHAIN + _l("side", "Sigmoid", ("pool",), ("side",)))
    assert [b.key for b in graph.inputs] == ["data@0"]
    assert [b.key for b in graph.outputs] == ["loss@0", "side@0"]
    assert [l.name for l in graph.consumers(4)] == ["fc", "side"]
    assert [l.name for l in graph.consumers(0)] == ["conv", "loss"]
    assert [l.name for l in graph.upstream(5)] == ["data", "conv", "bn", "relu", "pool"]
    assert [l.name for l in graph.downstream(5)] == ["loss"]
    assert [l.name for l in graph.loss_layers()] == ["loss"]
    assert [l.name for l in graph.learnable_layers()] == ["conv", "bn", "fc"]


def test_learnable_layers_do_not_need_a_loss():
    """A deploy net (no loss) has the learnable layers of its train_val (issue 13 item 2)."""
    graph = _graph(CHAIN.replace('"SoftmaxWithLoss"', '"Softmax"'))
    assert graph.loss_layers() == []
    assert [l.name for l in graph.learnable_layers()] == ["conv", "bn", "fc"]


def test_net_input_fields_are_inputs_and_unread_inputs_are_outputs():
    text = 'input: "data" input_dim: 1 input_dim: 3 input_dim: 4 input_dim: 4 input: "extra"\n'
    graph = _graph(text + _l("relu", "ReLU", ("data",), ("r",)))
    assert [(b.key, b.producer) for b in graph.inputs] == [("data@0", None), ("extra@0", None)]
    assert [b.key for b in graph.outputs] == ["extra@0", "r@0"]
    assert graph.producer(0, 0).producer is None


def test_unknown_bottom_names_a_later_producer():
    text = (_l("a", "ReLU", ("late",), ("x",)) + _l("b", "Input", (), ("late",)))
    graph = _graph(text)
    (problem,) = graph.problems
    assert problem.code == "PTX101"
    assert problem.message.startswith("Unknown bottom blob 'late' (layer 'a', bottom index 0)")
    assert "layer 'b'" in problem.message
    assert (problem.line, problem.col) == (1, text.index('"late"') + 1)
    assert graph.producer(0, 0) is None


def test_unknown_bottom_names_a_producer_excluded_by_the_state():
    text = (_l("label", "Input", (), ("label",), "include { phase: TRAIN }")
            + _l("acc", "Accuracy", ("label", "label"), ("acc",)))
    assert _graph(text, TRAIN).problems == []
    problems = _graph(text, TEST).problems
    assert [p.message.split(HINT)[0] for p in problems] == [
        "Unknown bottom blob 'label' (layer 'acc', bottom index 0)",
        "Unknown bottom blob 'label' (layer 'acc', bottom index 1)"]
    assert all("not included" in p.message for p in problems)


def test_multiple_producers_and_index_mismatched_in_place():
    text = (_l("d", "Input", (), ("a", "b")) + _l("x", "ReLU", ("a",), ("c",))
            + _l("y", "Sigmoid", ("b",), ("c",)) + _l("z", "Eltwise", ("a", "b"), ("b",)))
    graph = _graph(text)
    assert [p.code for p in graph.problems] == ["PTX102", "PTX102"]
    assert graph.problems[0].message.startswith("Top blob 'c' produced by multiple sources.")
    assert "layer 'x'" in graph.problems[0].message
    assert "same index" in graph.problems[1].message
    assert graph.blobs("b")[1].in_place is False


def test_in_place_refused_for_flatten_reshape_split():
    text = _l("d", "Input", (), ("a",)) + _l("f", "Flatten", ("a",), ("a",))
    (problem,) = _graph(text).problems
    assert (problem.code, problem.name) == ("PTX105", "in-place-not-allowed")
    assert problem.message.startswith("Flatten Layer does not allow in-place computation.")
    assert _graph(_l("d", "Input", (), ("a",)) + _l("r", "ReLU", ("a",), ("a",))).problems == []


def test_state_selects_layers_and_phase_string_uses_net_state():
    text = ('state { stage: "s" }\n' + _l("d", "Input", (), ("a",))
            + _l("t", "ReLU", ("a",), ("a",), 'include { phase: TRAIN stage: "s" }'))
    net = Net(parse(text))
    assert [l.name for l in build_graph(net, "TRAIN").layers()] == ["d", "t"]
    assert [l.name for l in build_graph(net, NetState("TRAIN")).layers()] == ["d"]
    assert [l.name for l in build_graph(net).layers()] == ["d"]   # file state: TEST
    assert 1 not in build_graph(net)


def test_problems_span_their_node():
    text = ('layer { name: "a" type: "ReLU" bottom: "nowhere" top: "a" }\n'
            'layer { name: "b" type: "ReLU" bottom: "a" top: "b"\n'
            '        include { phase: TRAIN } exclude { phase: TEST } }\n')
    found = {p.code: p for p in build_graph(Net(parse(text)), NetState("TRAIN")).problems}
    unknown, both = found["PTX101"], found["PTX103"]
    assert (unknown.line, unknown.col, unknown.end_line, unknown.end_col) == (1, 40, 1, 49)
    assert (both.line, both.col, both.end_line, both.end_col) == (2, 7, 3, 59)
    assert unknown.severity == both.severity == "error"


def test_graphs_of_states_with_the_same_layers_stay_independent():
    """TRAIN and TEST of a net without rules share one wiring (memoized on the net
    view); each graph still answers on its own and owns its public containers."""
    net = Net(parse(CHAIN))
    train, test = build_graph(net, TRAIN), build_graph(net, TEST)
    assert (train.state.phase, test.state.phase) == ("TRAIN", "TEST")
    train.inputs.clear()
    train.problems.append("x")
    assert [b.key for b in test.inputs] == ["data@0"] and test.problems == []
    conv = test.blobs("conv")[0]
    assert [(layer.name, j) for layer, j in test.readers(conv)] == [("bn", 0)]
    assert [layer.name for layer in train.consumers(0)] == ["conv", "loss"]
