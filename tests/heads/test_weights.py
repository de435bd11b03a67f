"""Weights of the original net copy into the edited one, except the heads (ptx's own
weight-copy preview, ``weights.preview``: Caffe's CopyTrainedLayersFrom rules).

For the families no upstream Caffe builds (SSD, R-FCN, SegNet: fork layers), this is
the proof that ``--replace-head`` keeps every non-head layer loadable from a
caffemodel shaped like the original and starts every head fresh; ``test_oracle.py``
does the same in real Caffe for FCN and Faster R-CNN.  The caffemodel is written
with the original's parameter shapes as ptx infers them (partial shapes where a
Python data layer leaves sizes unknown), zeros for values.
"""
from __future__ import annotations

import pytest

import prototxt_tools
from corpus import CORPUS, require_corpus
from prototxt_tools.shapes import infer_file
from prototxt_tools.weights import COPIED, FILLER, preview_for_file

from ..rules.blobs import caffemodel
from .cases import CASES

SMALL = ("ssd_train", "ssd_deploy", "rfcn_deploy", "segnet_basic_train")


def _original_weights(ptx_file, path) -> set:
    """A caffemodel of every layer whose parameter shapes ptx knows; their names."""
    result = infer_file(ptx_file, "TRAIN")
    layers = {e.layer.name: [tuple(p) for p in e.params] for e in result.layers
              if e.params and (e.status == "ok" or e.params_known)}
    path.write_bytes(caffemodel(layers))
    return set(layers)


@pytest.mark.parametrize("name,rel,params", [(c[0], c[1], c[2]) for c in CASES if c[0] in SMALL])
def test_non_heads_copy_heads_start_fresh(tmp_path, name, rel, params):
    require_corpus()
    original = prototxt_tools.load(str(CORPUS / rel))
    stored = _original_weights(original, tmp_path / "original.caffemodel")
    edited = prototxt_tools.load(prototxt_tools.edit(original, [("replace_head", params)]).text)
    preview = preview_for_file(edited, str(tmp_path / "original.caffemodel"))
    status = {o.layer: o.status for o in preview.outcomes}
    assert not preview.failures, [o.message for o in preview.failures]
    new = {n for n in status if n.endswith("_new")}
    assert new and all(status[n] == FILLER for n in new)
    kept = stored - {n[:-len("_new")] for n in new}
    assert kept and all(status[n] == COPIED for n in kept), \
        sorted(n for n in kept if status.get(n) != COPIED)
