"""CTC sequence recognisers (CRNN, OCR nets): the per-step classifier read by a CTC loss
scores N characters plus the CTC blank.

A CTC loss (crnn.caffe's ``CtcLoss``, caffe_ocr's ``WarpCTCLoss``) reads one score per
character and one for the blank, so N classes need ``N + 1`` outputs, as detection
needs a background.  The forks also write the count in the loss itself:
``ctc_loss_param { alphabet_size: N + 1 }`` (crnn.caffe checks every label against it)
and the blank's index (``blank_label`` / ``blank_index``): a blank that was the last
index (``alphabet_size - 1``) stays last, at N; a blank at 0 (caffe_ocr's default, labels
1..N) stays 0.  The sequence accuracy and greedy decoder layers carry the same blank;
a deploy net is recognised by its decoder (caffe_ocr's ``CTCGreedyDecoder``).
"""
from __future__ import annotations

from typing import List, Optional

from ..errors import PtxError
from .common import all_graphs, unique_layers
from .plan import Classes, Head, Plan, Setting
from .walk import num_output, trace_up

NAME = "ctc"
LOSSES = {"CtcLoss": "ctc_loss_param", "WarpCTCLoss": "ctc_loss_param",
          "CTCLoss": "ctc_loss_param"}
READERS = {"LabelsequenceAccuracy": "labelsequence_accuracy_param",
           "CTCGreedyDecoder": "ctc_decoder_param", "CTCBeamSearchDecoder": "ctc_decoder_param"}
BLANKS = ("blank_label", "blank_index")


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    graph_list = all_graphs(ptx_file)
    readers = [(g, l) for g in graph_list for l in g.layers() if l.type in {**LOSSES, **READERS}]
    if not readers:      # a deploy net has the decoder alone
        return None
    heads = unique_layers(h for g, l in readers for h in trace_up(g, l, 0).heads)
    counts = {num_output(h) for h in heads}
    if not heads or None in counts:
        return None
    if len(counts) > 1:
        raise PtxError(f"the CTC readers' classifiers have different output counts "
                       f"({', '.join(f'{h.name}: {num_output(h)}' for h in heads)}); name the "
                       f"one to change with --head", ptx_file.path)
    old, outputs = counts.pop(), classes.count + 1
    why = f"{classes.count} classes + the CTC blank"
    result = Plan(NAME, [Head(h.name, outputs, why) for h in heads])
    for layer in unique_layers(l for _, l in readers):
        result.settings += _settings(layer, old, outputs, why)
    return result


def _settings(layer, old: int, outputs: int, why: str) -> List[Setting]:
    block_name = LOSSES.get(layer.type) or READERS[layer.type]
    block = layer.node.message(block_name)
    out = []
    if block is not None and block.scalar("alphabet_size") == old and old != outputs:
        out.append(Setting(layer.index, layer.name, (block_name, "alphabet_size"), outputs, why))
    for name in BLANKS:
        value = block.scalar(name) if block is not None else None
        if value == old - 1 and value != outputs - 1:      # the blank was the last index
            out.append(Setting(layer.index, layer.name, (block_name, name), outputs - 1,
                               "the blank stays the last index"))
    return out
