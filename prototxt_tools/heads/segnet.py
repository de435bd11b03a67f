"""SegNet and ENet: the last convolution (or deconvolution) before the loss, and the
loss's per-class weights.

SegNet's fork adds ``loss_param { class_weighting: ... }``, one weight per class,
read when ``weight_by_label_freqs`` is true.  caffe-segnet then checks at setup
that there is one weight per score channel and aborts otherwise ("Number of class
weight values does not match the number of classes"); with the flag off it ignores
the list.  A list of the old length no longer fits N classes, and the right weights
depend on the user's label frequencies, which ptx cannot invent: the plan warns
that the net will not build as it stands, and ``drop_class_weighting`` removes the
list (with ``weight_by_label_freqs``) so training runs unweighted until the user
writes new ones.
"""
from __future__ import annotations

from typing import Optional

from .classification import plan_for
from .plan import Classes, Drop, Plan
from .scores import find_scores
from .walk import num_output

NAME = "segnet"
_WEIGHTING = ("class_weighting", "weight_by_label_freqs")


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    weighted = [loss for loss in scores.readouts if class_weights(loss)]
    upsample = any(layer.type == "Upsample" for layer in ptx_file.net.layers)
    if not scores.heads or not (weighted or upsample):
        return None
    result = plan_for(NAME, scores, classes)
    outputs = result.heads[0].outputs
    drop = bool(getattr(options, "drop_class_weighting", False))
    old = {num_output(h) for h in scores.heads}
    for loss in weighted:
        count = len(class_weights(loss))
        if count == outputs:
            continue
        if drop:
            result.drops.append(Drop(loss.index, loss.name, ("loss_param",), _WEIGHTING,
                                     f"{count} class weights for {outputs} classes"))
        else:
            result.notes.append(_kept_note(loss, count, old, outputs))
    return result


def _kept_note(loss, count: int, old, outputs: int) -> str:
    olds = "/".join(str(o) for o in sorted(old, key=str))
    if weighted_by_label_freqs(loss):
        effect = (f"SegNet's Caffe aborts at setup until it has {outputs} (\"Number of class "
                  "weight values does not match the number of classes\")")
    else:
        effect = "unused while weight_by_label_freqs is off, wrong if it is turned on"
    return (f"'{loss.name}' has {count} class_weighting values (for the old {olds} classes), "
            f"not {outputs}: {effect}; weights cannot be invented -- write {outputs} from your "
            f"label frequencies, or pass --drop-class-weighting to train unweighted")


def class_weights(loss) -> list:
    """The value nodes of ``loss_param.class_weighting`` (SegNet's per-class loss weights)."""
    block = loss.node.message("loss_param")
    return block.values("class_weighting") if block is not None else []


def weighted_by_label_freqs(loss) -> bool:
    """Whether the loss reads its class weights (caffe-segnet ignores them otherwise)."""
    block = loss.node.message("loss_param")
    flag = block.scalar("weight_by_label_freqs") if block is not None else None
    return str(flag).lower() == "true"
