"""Classification: the classifier(s) reaching a loss, Accuracy or Softmax get N outputs.

N is the number of classes as the user counts them (a label list naming a
background class counts it).  An Accuracy whose top_k exceeds N is lowered to N,
since Caffe aborts the TEST net otherwise.
"""
from __future__ import annotations

from typing import Optional

from ..errors import PtxError
from .common import top_k_settings
from .walk import num_output
from .plan import Classes, Head, Plan
from .scores import find_scores, refuse_not_classes

NAME = "classification"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    if not scores.heads:
        refuse_not_classes(ptx_file, scores)
        return None
    return plan_for(NAME, scores, classes)


def plan_for(family: str, scores, classes: Classes, counted=None) -> Plan:
    """The plan of every score-map family: heads get the class count as listed (or
    ``counted``: (outputs, why) of a family adding a class).  Heads of different output
    counts are different tasks (SIFT Flow's 33 semantic and 3 geometric classes): one N
    cannot be right for both, so the user names them."""
    outputs, why = counted or classes.as_listed()
    _refuse_one_softmax_class(scores, outputs)
    counts = {}
    for head in scores.heads:
        counts.setdefault(num_output(head), []).append(head.name)
    if len(counts) > 1:
        listed = "; ".join(f"{', '.join(names)}: {count}" for count, names in counts.items())
        raise PtxError(f"the heads have different output counts ({listed}): a net with several "
                       f"tasks; name the heads of the task to change with --head")
    result = Plan(family, [Head(name, outputs, why) for name in scores.names()])
    result.settings += top_k_settings(scores.readouts, outputs)
    for layer, block, reader in scores.forks:
        result.notes.append(f"'{reader.name}' reads scores made by '{layer.name}' ({layer.type}, "
                            f"{block}.num_output {layer.node.message(block).scalar('num_output')}),"
                            f" which ptx cannot resize: left as it is, change it by hand")
    if scores.outputs:
        tops = ", ".join(f"'{t}'" for layer in scores.outputs for t in layer.tops[:1])
        result.notes.append(
            f"no loss, Accuracy or Softmax reads the scores: {', '.join(scores.names())} "
            f"taken as the head(s) because they make the net output {tops}; check that it "
            f"scores classes (an embedding, heatmaps or a regression keep their count: "
            f"name the layers with --head)")
    return result


def _refuse_one_softmax_class(scores, outputs: int) -> None:
    """One output under a softmax is always 1: SoftmaxWithLoss is 0 whatever the input and
    learns nothing, Accuracy is always 1.  A yes/no task is two classes."""
    softmax = [r for r in scores.readouts if "Softmax" in r.type or r.type == "Accuracy"]
    if outputs == 1 and softmax:
        raise PtxError(f"1 class: '{softmax[0].name}' ({softmax[0].type}) over one output is "
                       f"always 1, so the net would learn nothing; a yes/no task is 2 classes "
                       f"(--replace-head 2)")
