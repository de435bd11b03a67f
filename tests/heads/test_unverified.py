"""The note saying which heads' shapes ``--replace-head`` could not verify, and why."""
from __future__ import annotations

import prototxt_tools

HEAD = """
layer { name: "fc" type: "InnerProduct" bottom: "%s" top: "fc"
        inner_product_param { num_output: 10 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }
"""
TRAIN_ONLY = """
layer { name: "data" type: "Input" top: "data" top: "label"
        include { phase: TRAIN }
        input_param { shape { dim: 8 dim: 3 dim: 4 dim: 4 } shape { dim: 8 } } }
""" + HEAD % "data"
PYTHON_DATA = """
layer { name: "data" type: "Python" top: "data" top: "label"
        python_param { module: "m" layer: "L" } }
""" + HEAD % "data"
PYTHON_MIDDLE = """
layer { name: "data" type: "Input" top: "data" top: "label"
        input_param { shape { dim: 8 dim: 3 dim: 4 dim: 4 } shape { dim: 8 } } }
layer { name: "py" type: "Python" bottom: "data" top: "feat"
        python_param { module: "m" layer: "L" } }
""" + HEAD % "feat"


def _notes(text):
    return prototxt_tools.edit(text, [("replace_head", {"n": 3})]).notes


def test_a_net_fed_in_one_phase_is_judged_in_that_phase_only():
    """Its TEST build has no data at all (Caffe never builds it): the first layer there is
    no cause of anything, and the heads are fully known in TRAIN."""
    assert not [n for n in _notes(TRAIN_ONLY) if "known only in part" in n]


def test_a_python_data_layer_is_named_with_the_input_shape_that_settles_it():
    note = next(n for n in _notes(PYTHON_DATA) if "known only in part" in n)
    assert "'fc_new'" in note and "'data' (Python) gives data, label no known size" in note
    assert "`ptx check FILE --input-shape data=N,C,H,W`" in note


def test_a_layer_inside_the_net_is_named_without_a_dangling_option():
    note = next(n for n in _notes(PYTHON_MIDDLE) if "known only in part" in n)
    assert "'py' (Python) gives feat no known size" in note
    assert "`ptx check FILE` builds it" in note and "`ptx lint FILE` checks" in note
