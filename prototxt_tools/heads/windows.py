"""R-CNN fine-tuning on windows (BVLC's ``finetune_pascal_detection``): a classifier fed
by a ``WindowData`` layer scores the classes and the background.

WindowData labels every window overlapping no object enough (``bg_threshold``) as 0 and
requires a foreground label above 0 (window_data_layer.cpp: ``CHECK_GT(label, 0)``, and
at least one background window), so the classifier has N + 1 outputs, as
``fc8_pascal``'s 21 are 20 PASCAL classes + background.  The net is otherwise a
classification net (heads found the same way).  An R-CNN deploy net scoring with SVMs
(``bvlc_reference_rcnn_ilsvrc13``: 200 outputs, no background) has no WindowData and
stays classification.
"""
from __future__ import annotations

from typing import Optional

from .classification import plan_for
from .plan import Classes, Plan
from .scores import find_scores

NAME = "r-cnn"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    if not any(layer.type == "WindowData" for layer in ptx_file.net.layers):
        return None
    scores = find_scores(ptx_file)
    if not scores.heads:
        return None
    outputs, why = classes.with_background()
    return plan_for(NAME, scores, classes,
                    (outputs, f"{why}: WindowData labels background windows 0"))
