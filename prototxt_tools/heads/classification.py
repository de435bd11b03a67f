"""Classification: the classifier(s) reaching a loss, Accuracy or Softmax get N outputs.

N is the number of classes as the user counts them (a label list naming a
background class counts it).  An Accuracy whose top_k exceeds N is lowered to N,
since Caffe aborts the TEST net otherwise.
"""
from __future__ import annotations

from typing import Optional

from .common import top_k_settings
from .plan import Classes, Head, Plan
from .scores import find_scores

NAME = "classification"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    if not scores.heads:
        return None
    return plan_for(NAME, scores, classes)


def plan_for(family: str, scores, classes: Classes) -> Plan:
    """The plan of every score-map family: heads get the class count as listed."""
    outputs, why = classes.as_listed()
    result = Plan(family, [Head(name, outputs, why) for name in scores.names()])
    result.settings += top_k_settings(scores.readouts, outputs)
    return result
