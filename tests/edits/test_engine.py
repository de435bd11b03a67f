"""The edit primitives on every line ending and separator, and the step-by-step Draft."""
from __future__ import annotations

import random

import pytest

from prototxt_tools.edits import OverlappingEdits, TextEdit, apply_edits
from prototxt_tools.edits.draft import Draft
from prototxt_tools.edits.fields import insert_field, insert_items, remove_field
from prototxt_tools.edits.layout import detect_style, dominant_newline
from prototxt_tools.syntax import parse

BLOCK = 'layer {\n  name: "d"  # the data\n  type: "Data"\n  data_param {\n    batch_size: 8\n  }\n}\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_insert_keeps_the_files_line_ending_and_the_comment(newline):
    text = BLOCK.replace("\n", newline)
    doc = parse(text)
    param = doc.fields[0].value.message("data_param")
    edited = apply_edits(text, [insert_field(param, "shuffle: true")])
    assert edited == text.replace(f"batch_size: 8{newline}",
                                  f"batch_size: 8{newline}    shuffle: true{newline}")
    layer = doc.fields[0].value
    name = layer.get("name")
    after_name = apply_edits(text, [insert_items(layer, [("top", '"x"')], detect_style(doc), name)])
    assert f'# the data{newline}  top: "x"{newline}' in after_name   # after the comment's line
    assert dominant_newline(text) == newline


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_remove_takes_the_line_only_when_alone(newline):
    text = BLOCK.replace("\n", newline)
    doc = parse(text)
    param = doc.fields[0].value.message("data_param")
    assert apply_edits(text, [remove_field(param.get("batch_size"))]) == \
        text.replace(f"    batch_size: 8{newline}", "")
    name = doc.fields[0].value.get("name")
    assert apply_edits(text, [remove_field(name)]) == text.replace('name: "d"  ', "")


@pytest.mark.parametrize("separator", [",", ";"])
def test_remove_takes_the_separator_after_the_field(separator):
    text = f"layer {{ name: \"a\"{separator} type: \"ReLU\" }}\n"
    field = parse(text).fields[0].value.get("name")
    assert apply_edits(text, [remove_field(field)]) == 'layer { type: "ReLU" }\n'


def test_one_line_block_stays_one_line():
    text = 'layer { name: "a" param { lr_mult: 1 } }\n'
    param = parse(text).fields[0].value.message("param")
    assert apply_edits(text, [insert_field(param, "decay_mult: 0")]) == \
        'layer { name: "a" param { lr_mult: 1 decay_mult: 0 } }\n'


def test_dominant_newline_counts_lines():
    assert dominant_newline("a\r\nb\r\nc\n") == "\r\n"
    assert dominant_newline("a\nb\nc\r\n") == "\n"
    assert dominant_newline("a\rb\rc\n") == "\r"
    assert dominant_newline("one line") == "\n"


def test_draft_gives_the_precise_edits_of_the_original():
    """Random steps, each against the previous result: the draft's edits of the original
    give the same text, and none of them replaces text by itself."""
    rng = random.Random(16)
    for _ in range(500):
        original = "".join(rng.choice("ab \n") for _ in range(rng.randint(0, 20)))
        draft, current = Draft(original), original
        for _step in range(rng.randint(1, 4)):
            start = rng.randint(0, len(current))
            end = rng.randint(start, min(len(current), start + 3))
            edits = [TextEdit(start, end, rng.choice(["", "X", "\n"]))]
            current = apply_edits(current, edits)
            assert draft.apply(edits) == current
        assert apply_edits(original, draft.edits()) == current
        assert all(original[e.start:e.end] != e.replacement for e in draft.edits())


def test_draft_keeps_far_apart_steps_apart():
    draft = Draft("aaaa\nbbbb\ncccc\n")
    draft.apply([TextEdit(0, 1, "AA")])          # the rest of the text moves by one
    draft.apply([TextEdit(11, 12, "C")])         # the first c, counted in the new text
    assert draft.edits() == [TextEdit(0, 1, "AA"), TextEdit(10, 11, "C")]


def test_overlapping_edits_are_refused():
    with pytest.raises(OverlappingEdits):
        apply_edits("abcdef", [TextEdit(0, 3, "x"), TextEdit(2, 4, "y")])
