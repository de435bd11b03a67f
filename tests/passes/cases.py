"""The golden cases of ``ptx edit``: (golden file, input fixture, passes).

One table drives the pass tests (``test_golden.py``) and the CLI tests: each
golden file in ``fixtures/edit/`` is the exact expected output, written and
reviewed by hand; ``UPDATE=1`` is deliberately not supported.
"""
from __future__ import annotations

from corpus import REPO

FIXTURES = REPO / "fixtures"
EDIT = FIXTURES / "edit"
TINY = EDIT / "tiny.prototxt"
CAFFENET = FIXTURES / "caffenet" / "train_val.prototxt"
DEMO = FIXTURES / "finetune_demo" / "deploy.prototxt"

CASES = [
    ("rename.prototxt", TINY, [("rename", {"old": "conv1", "new": "conv_a"})]),
    ("rename_blob.prototxt", TINY, [("rename_blob", {"old": "sum", "new": "features"})]),
    ("num_output.prototxt", TINY, [("num_output", {"layer": "conv1", "n": 12})]),
    ("replace_head.prototxt", TINY, [("replace_head", {"n": 5})]),
    ("freeze.prototxt", TINY, [("freeze", {"layers": ["conv1", "bn1", "scale1", "conv2"]})]),
    ("freeze_until.prototxt", TINY, [("freeze_until", {"layer": "pool1"})]),
    ("freeze_fraction.prototxt", TINY, [("freeze_fraction", {"fraction": 0.5})]),
    ("unfreeze.prototxt", TINY, [("freeze", {"layers": ["conv1", "bn1", "conv2"]}),
                                 ("unfreeze", {"layers": ["conv1", "bn1", "conv2"]})]),
    ("cut_gradient.prototxt", TINY, [("cut_gradient", {"layer": "sum"})]),
    ("mults.prototxt", TINY, [("lr_mult", {"layer": "fc", "values": [5.0, 10.0]}),
                              ("decay_mult", {"layer": "conv1", "values": [0.0]})]),
    ("to_deploy.prototxt", TINY, [("to_deploy", {})]),
    ("feature_extractor.prototxt", TINY, [("strategy", {"name": "feature-extractor"})]),
    ("fine_tune_all.prototxt", TINY, [("strategy", {"name": "fine-tune-all"})]),
    ("early_features.prototxt", TINY, [("strategy", {"name": "early-features",
                                                     "layer": "pool1"})]),
    ("from_scratch.prototxt", TINY, [("strategy", {"name": "from-scratch"})]),
    ("combined.prototxt", TINY, [("replace_head", {"n": 3, "name": "fc_pets"}),
                                 ("strategy", {"name": "feature-extractor"}),
                                 ("cut_gradient", {"layer": "fc_pets"})]),
    ("to_train.prototxt", DEMO, [("to_train", {"train_source": "train.txt", "val_source": "val.txt",
                                               "batch": 8, "test_batch": 4, "classes": 3})]),
    ("caffenet_deploy.prototxt", CAFFENET, [("to_deploy", {"input_shape": (10, 3, 227, 227)})]),
    ("caffenet_early.prototxt", CAFFENET, [("replace_head", {"n": 20, "suffix": "_ft"}),
                                           ("strategy", {"name": "early-features"})]),
]
# The Flickr-style pair: the demo, hand-written from the published recipe.
FLICKR = (FIXTURES / "flickr_style" / "train_val.prototxt", CAFFENET,
          [("replace_head", {"n": 20, "name": "fc8_flickr"})])
