"""param_str dict literals: the value of one key changes, every other byte stays."""
from __future__ import annotations

import pytest

import prototxt_tools
from prototxt_tools.edits import apply_edits
from prototxt_tools.heads.paramstr import int_keys, set_int_key

NET = 'layer {{ name: "d" type: "Python" top: "data"\n  python_param {{ module: "m" layer: "L"\n    param_str: {raw} }} }}\n'


@pytest.mark.parametrize("raw,expected", [
    ('"\'num_classes\': 21"', '"\'num_classes\': 5"'),
    ("'\"num_classes\": 21, \"feat_stride\": 16'", "'\"num_classes\": 5, \"feat_stride\": 16'"),
    ('"{\\\'split\\\': \\\'train\\\', \\\'num_classes\\\':21}"',
     '"{\\\'split\\\': \\\'train\\\', \\\'num_classes\\\':5}"'),
    ('"num_classes: 21\\nfeat_stride: 16"', '"num_classes: 5\\nfeat_stride: 16"'),
])
def test_value_replaced_in_place(raw, expected):
    text = NET.format(raw=raw)
    layer = prototxt_tools.load(text).net.layers[0]
    assert int_keys(layer) == {"num_classes": 21}
    edit = set_int_key(layer, "num_classes", 5)
    assert apply_edits(text, [edit]) == NET.format(raw=expected)


def test_other_keys_and_absent_key_untouched():
    text = NET.format(raw='"\'my_num_classes\': 21, \'feat_stride\': 16"')
    layer = prototxt_tools.load(text).net.layers[0]
    assert int_keys(layer) == {}
    assert set_int_key(layer, "num_classes", 5) is None


def test_same_value_gives_no_edit():
    layer = prototxt_tools.load(NET.format(raw='"\'num_classes\': 5"')).net.layers[0]
    assert set_int_key(layer, "num_classes", 5) is None
