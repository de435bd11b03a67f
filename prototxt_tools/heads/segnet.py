"""SegNet and ENet: the last convolution (or deconvolution) before the loss, and the
loss's per-class weights.

SegNet's fork adds ``loss_param { class_weighting: ... }``, one weight per class,
read when ``weight_by_label_freqs`` is true.  caffe-segnet then checks at setup
that there is one weight per score channel and aborts otherwise ("Number of class
weight values does not match the number of classes"); with the flag off it ignores
the list.  The right weights depend on the user's label frequencies, which ptx
cannot invent, so a list of the old length that Caffe reads is refused unless the
user gives N weights (``class_weighting``, ``--class-weighting``) or drops the list
(``drop_class_weighting``: with ``weight_by_label_freqs``, training runs unweighted).
A list Caffe does not read is kept, with a note.
"""
from __future__ import annotations

from typing import Optional

from ..edits.fields import number
from ..errors import PtxError
from .classification import plan_for
from .plan import Classes, Drop, Plan, Values
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
    given, drop = _choices(options, outputs)
    old = {num_output(h) for h in scores.heads}
    for loss in weighted:
        _plan_weights(ptx_file, result, loss, given, drop, old, outputs)
    result.notes += _void_notes(scores.readouts, old, outputs)
    return result


def _choices(options, outputs: int):
    """(the user's new weights as text, drop the list?) from the head options."""
    drop = bool(getattr(options, "drop_class_weighting", False))
    given = tuple(getattr(options, "class_weighting", ()) or ())
    if given and drop:
        raise PtxError("give --class-weighting or --drop-class-weighting, not both")
    if given and len(given) != outputs:
        raise PtxError(f"--class-weighting gives {len(given)} values for {outputs} classes")
    return tuple(number(v) for v in given), drop


def _plan_weights(ptx_file, result: Plan, loss, given, drop: bool, old, outputs: int) -> None:
    """What happens to one loss's class_weighting: replaced, kept (right length, or not
    read), dropped, or refused (read by Caffe, wrong length, no choice made)."""
    count = len(class_weights(loss))
    if given:
        result.values.append(Values(loss.index, loss.name, ("loss_param",), "class_weighting",
                                    given, "as given"))
    elif count == outputs:
        return
    elif drop:
        result.drops.append(Drop(loss.index, loss.name, ("loss_param",), _WEIGHTING,
                                 f"{count} class weights for {outputs} classes"))
    elif weighted_by_label_freqs(loss):
        raise _refusal(ptx_file, loss, count, old, outputs)
    else:
        result.notes.append(_inert_note(loss, count, old, outputs))


def _void_notes(readouts, old, outputs: int) -> list:
    """SegNet numbers its void label right after the classes (CamVid: 11 classes, void 11):
    an ``ignore_label`` equal to the old class count is kept, and said."""
    notes = []
    for layer in readouts:
        for block in ("loss_param", "accuracy_param"):
            message = layer.node.message(block)
            value = message.scalar("ignore_label") if message is not None else None
            if isinstance(value, int) and value in old and value != outputs:
                notes.append(f"'{layer.name}': ignore_label {value} kept (the old class count: "
                             f"a void label after the classes); if your void label is {outputs}, "
                             "set it")
    return notes


def _olds(old) -> str:
    return "/".join(str(o) for o in sorted(old, key=str))


def _refusal(ptx_file, loss, count: int, old, outputs: int) -> PtxError:
    first = class_weights(loss)[0]
    return PtxError(
        f"'{loss.name}' weighs its loss by {count} class_weighting values (the old "
        f"{_olds(old)} classes) and weight_by_label_freqs is on: with {outputs} classes "
        f"SegNet's Caffe aborts at setup (\"Number of class weight values does not match the "
        f"number of classes\"), and weights cannot be invented -- give {outputs} from your "
        f"label frequencies with --class-weighting W1,...,W{outputs}, or pass "
        f"--drop-class-weighting to train unweighted", ptx_file.path, first.line, first.col)


def _inert_note(loss, count: int, old, outputs: int) -> str:
    return (f"'{loss.name}' keeps {count} class_weighting values (for the old {_olds(old)} "
            f"classes), not {outputs}: unused while weight_by_label_freqs is off, but SegNet's "
            f"Caffe aborts at setup if it is turned on -- write {outputs} with --class-weighting, "
            f"or pass --drop-class-weighting")


def class_weights(loss) -> list:
    """The value nodes of ``loss_param.class_weighting`` (SegNet's per-class loss weights)."""
    block = loss.node.message("loss_param")
    return block.values("class_weighting") if block is not None else []


def weighted_by_label_freqs(loss) -> bool:
    """Whether the loss reads its class weights (caffe-segnet ignores them otherwise)."""
    block = loss.node.message("loss_param")
    flag = block.scalar("weight_by_label_freqs") if block is not None else None
    return str(flag).lower() == "true"
