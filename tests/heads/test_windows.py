"""R-CNN fine-tuning on WindowData: N classes + background (found by the sweep: BVLC's
pascal_finetune nets were 'classification', fc8_pascal 21 -> N, losing the background
class WindowData gives every background window)."""
from __future__ import annotations

import prototxt_tools
from corpus import CORPUS, require_corpus

PASCAL = ("files/BVLC__caffe/examples/finetune_pascal_detection/"
          "pascal_finetune_trainval_test.prototxt")
RCNN_DEPLOY = "files/BVLC__caffe/models/bvlc_reference_rcnn_ilsvrc13/deploy.prototxt"


def _changes(rel, n=3):
    require_corpus()
    return prototxt_tools.edit(str(CORPUS / rel), [("replace_head", {"n": n})]).changes


def test_window_data_counts_the_background():
    changes = _changes(PASCAL)
    assert changes[0] == "r-cnn net: 3 classes"
    assert ("'fc8_pascal_new': num_output 21 -> 4 (3 classes + background: WindowData labels "
            "background windows 0)") in changes


def test_an_rcnn_deploy_scoring_with_svms_has_no_background():
    """bvlc_reference_rcnn_ilsvrc13's fc-rcnn: 200 SVM scores, no WindowData."""
    changes = _changes(RCNN_DEPLOY)
    assert changes[0] == "classification net: 3 classes"
    assert "'fc-rcnn_new': num_output 200 -> 3" in changes
