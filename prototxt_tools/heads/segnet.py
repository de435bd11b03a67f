"""SegNet and ENet: the last convolution (or deconvolution) before the loss, and the
loss's per-class weights.

SegNet's fork adds ``loss_param { class_weighting: ... }``, one weight per class.
A list of the old length no longer fits N classes (the fork reads past it or
ignores the extra), and the right weights depend on the user's label frequencies,
which ptx cannot invent: the plan warns, and ``drop_class_weighting`` removes the
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
    weighted = [loss for loss in scores.readouts if _weights(loss)]
    upsample = any(layer.type == "Upsample" for layer in ptx_file.net.layers)
    if not scores.heads or not (weighted or upsample):
        return None
    result = plan_for(NAME, scores, classes)
    outputs = result.heads[0].outputs
    drop = bool(getattr(options, "drop_class_weighting", False))
    old = {num_output(h) for h in scores.heads}
    for loss in weighted:
        count = len(_weights(loss))
        if count == outputs:
            continue
        if drop:
            result.drops.append(Drop(loss.index, loss.name, ("loss_param",), _WEIGHTING,
                                     f"{count} class weights for {outputs} classes"))
        else:
            result.notes.append(
                f"'{loss.name}' has {count} class_weighting values (for the old "
                f"{'/'.join(str(o) for o in sorted(old, key=str))} classes), not {outputs}: "
                f"weights cannot be invented -- write {outputs} from your label frequencies, "
                f"or pass --drop-class-weighting to train unweighted")
    return result


def _weights(loss) -> list:
    block = loss.node.message("loss_param")
    return block.values("class_weighting") if block is not None else []
