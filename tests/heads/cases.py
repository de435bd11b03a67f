"""Golden cases of ``--replace-head`` on corpus nets, one per family and model file.

Each golden file (``golden/<name>.diff``) holds what ptx says (changes, notes) and
the edit as a diff without context lines: only the lines ptx wrote.  They were
generated once and reviewed by hand against the nets' own arithmetic (background
added for detection, priors per location for SSD, k x k cells for R-FCN).
"""
from __future__ import annotations

import difflib

FRCNN = "files/rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/faster_rcnn_end2end/"
FAST = "files/rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/fast_rcnn/"
RFCN = "files/soeaver__caffe-model/det/rfcn/models/pascal_voc/resnet18/"
SSD = "files/chuanqi305__MobileNet-SSD/voc/"
FCN = "files/shelhamer__fcn.berkeleyvision.org/"
SEGNET = "files/alexgkendall__SegNet-Tutorial/Models/"
PSP = "files/soeaver__caffe-model/seg/pspnet/models/pascal_voc/resnet101-v2/"

# (golden name, corpus file, replace_head parameters, expected family)
CASES = [
    ("frcnn_train", FRCNN + "train.prototxt", {"n": 4}, "faster-rcnn"),
    ("frcnn_test", FRCNN + "test.prototxt", {"n": 4}, "faster-rcnn"),
    ("fast_rcnn_train", FAST + "train.prototxt", {"n": 4}, "faster-rcnn"),
    ("rfcn_train", RFCN + "rfcn_voc_resnet18-priv-merge-ohem.prototxt", {"n": 4}, "r-fcn"),
    ("rfcn_deploy", RFCN + "deploy_rfcn_voc_resnet18-priv-merge.prototxt", {"n": 4}, "r-fcn"),
    ("rfcn_rcnn_deploy", RFCN + "rpn_rcnn_deploys/rcnn_deploy_rfcn_voc_resnet18-priv-merge.prototxt",
     {"n": 4}, "r-fcn"),   # score maps fed as a net input
    ("ssd_train", SSD + "MobileNetSSD_train.prototxt", {"n": 4}, "ssd"),
    ("ssd_test", SSD + "MobileNetSSD_test.prototxt", {"n": 4}, "ssd"),
    ("ssd_deploy", SSD + "MobileNetSSD_deploy.prototxt", {"n": 4}, "ssd"),
    ("ssd_deploy_labelmap", SSD + "MobileNetSSD_deploy.prototxt",   # its own 5 classes
     {"labels": "files/chuanqi305__MobileNet-SSD/create_lmdb/code/labelmap.prototxt"}, "ssd"),
    ("fcn8s_train", FCN + "voc-fcn8s/train.prototxt", {"n": 5}, "fcn"),
    ("fcn8s_val", FCN + "voc-fcn8s/val.prototxt", {"n": 5}, "fcn"),
    ("fcn32s_train", FCN + "voc-fcn32s/train.prototxt", {"n": 5}, "fcn"),
    ("fcn32s_val", FCN + "voc-fcn32s/val.prototxt", {"n": 5}, "fcn"),
    ("segnet_train", SEGNET + "segnet_train.prototxt",           # the user's 4 class weights
     {"n": 4, "class_weighting": [0.25, 1.5, 4.0, 0.75]}, "segnet"),
    ("segnet_basic_train", SEGNET + "segnet_basic_train.prototxt",
     {"n": 4, "drop_class_weighting": True}, "segnet"),
    ("pspnet", PSP + "psp_resnet101-v2-merge.prototxt", {"n": 4}, "deeplab"),
]


def render(outcome, original: str, corpus: str = "") -> str:
    """What the golden file holds for one edit outcome (the corpus folder as ``<corpus>``)."""
    lines = [f"change: {c}".replace(corpus or "\0", "<corpus>") for c in outcome.changes]
    lines += [f"note: {n}" for n in outcome.notes]
    return "\n".join(lines + _hunks(original.splitlines(), outcome.text.splitlines())) + "\n"


def _hunks(a, b) -> list:
    """Changed lines as ``@@ -line`` hunks (no context; autojunk off, so frequent lines
    such as ``param {`` are matched like any other)."""
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            out.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@")
            out += [f"-{line}" for line in a[i1:i2]] + [f"+{line}" for line in b[j1:j2]]
    return out
