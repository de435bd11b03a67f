"""``--replace-head N [--labels FILE] [--head L ...] [--name NEW | --suffix S] [--head-lr-mult W,B]
[--drop-class-weighting | --class-weighting W1,...,WN]``.

The net's task family (``prototxt_tools.heads``: classification, Faster R-CNN,
R-FCN, SSD, FCN, SegNet, DeepLab) decides which layers are heads, what output
count each gets for N classes (detection adds background) and which other places
hold the class count (``num_classes``, param_str, Reshape dims...).
For each head: rename it so Caffe starts it fresh instead of copying weights by name
(and rewire its consumers), set num_output to N, raise its learning rate (lr_mult 10
for weights, 20 for the bias by default) with ``decay_mult: 0`` on the bias, and give
it a weight_filler and bias_filler when it has none -- Caffe's default filler is
constant 0.  Layers sharing a head's
parameters by name (siamese twins) are replaced along with it.  The fillers written are
``gaussian std 0.01`` and ``constant 0``, the BVLC reference classifiers' choice.
The steps touch different spans, so they all run on the file as given
(``compose.combine``: one parse), each head's reporting it by its new name.
"""
from __future__ import annotations

from functools import partial
from typing import List, Optional, Sequence

from ..edits.fields import insert_items, quoted_like
from ..edits.layout import detect_style
from ..errors import PtxError
from ..heads import HeadOptions, plan_heads
from ..heads.apply import head_steps, places_step
from ..heads.classes import from_count, from_labels
from ..heads.template import refuse_templates
from ..heads.unverified import unverified_note
from . import mults, num_output
from .base import (HEAD_LR_MULT, EditResult, Option, Pass, layers_named, parse_mults, positive_int,
                   require_v2, unchanged)
from .compose import combine
from .freeze import blob_count

DEFAULT_SUFFIX = "_new"
DEFAULT_LR = (10.0, 20.0)


def run(ptx_file, n: Optional[int] = None, heads: Sequence[str] = (), name: Optional[str] = None,
        suffix: Optional[str] = None, lr_mult: Sequence[float] = DEFAULT_LR,
        labels: Optional[str] = None, drop_class_weighting: bool = False,
        class_weighting: Sequence[float] = ()) -> EditResult:
    require_v2(ptx_file)
    if name and suffix:
        raise PtxError("give --name or --suffix, not both")
    classes = _classes(n, labels)
    refuse_templates(ptx_file)
    plan = plan_heads(ptx_file, classes, HeadOptions(drop_class_weighting, tuple(class_weighting)),
                      list(heads))
    if plan is None or not (plan.heads or plan.settings or plan.input_dims or plan.param_keys):
        raise PtxError("no head found (no InnerProduct/Convolution reaches a loss, Accuracy, "
                       "Softmax or detection layer); name it with --head", ptx_file.path)
    if class_weighting and not plan.values:   # a deploy net edited with its train net
        plan.notes.append(f"--class-weighting: no loss of this {plan.family} net has a "
                          "class_weighting list: nothing replaced here")
    _add_twins(ptx_file, plan)
    chosen = [head.layer for head in plan.heads]
    if name and len(chosen) > 1:
        raise PtxError(f"--name renames one head, but there are {len(chosen)} "
                       f"({', '.join(chosen)}); use --suffix", ptx_file.path)
    for head in plan.heads:
        if head.outputs is not None:
            num_output.block_name(layers_named(ptx_file, head.layer)[0], ptx_file.path)
    steps = [places_step(plan)]
    for head in plan.heads:
        new = name or _suffixed(head.layer, suffix or DEFAULT_SUFFIX)
        steps += head_steps(plan, head, new,
                            [partial(mults.run_head, layer=head.layer, values=list(lr_mult)),
                             partial(_filler_step, layer=head.layer)])
    result = combine(ptx_file, steps)
    result.notes = [n for n in result.notes if "keeps its name" not in n] + plan.notes
    if not result.edits:
        done = unchanged(f"{', '.join(chosen)}: already replaced for {_describe(classes)}")
        done.notes += plan.notes
        return done
    result.changes.insert(0, f"{plan.family} net: {_describe(classes)}")
    unknown = unverified_note(ptx_file, {head.layer: name or _suffixed(head.layer, suffix
                                                                       or DEFAULT_SUFFIX)
                                         for head in plan.heads})
    if unknown:
        result.notes.append(unknown)
    return result


def _classes(n, labels):
    if labels:
        found = from_labels(labels)
        if n is not None and n != found.count:
            raise PtxError(f"--replace-head {n} but {labels} lists {found.count} classes"
                           + (" (and background)" if found.background_listed else ""))
        return found
    if n is None:
        raise PtxError("--replace-head wants a number of classes (or --labels FILE)")
    return from_count(n)


def _describe(classes) -> str:
    where = f" (from {classes.source})" if classes.source else ""
    bg = " besides background" if classes.background_listed else ""
    return f"{classes.count} classes{bg}{where}"


def _add_twins(ptx_file, plan) -> None:
    """Layers sharing a head's parameters by name get the same new head."""
    known = {head.layer for head in plan.heads}
    for head in list(plan.heads):
        for twin in _with_twins(ptx_file, [head.layer]):
            if twin not in known:
                known.add(twin)
                plan.heads.append(type(head)(twin, head.outputs, head.why, head.upsampling))


def _with_twins(ptx_file, heads: List[str]) -> List[str]:
    """Heads plus the layers sharing their parameters by name (siamese twins): a
    shared blob must keep one shape, so twins get the same new head."""
    shared = {spec.name for head in heads for view in ptx_file.net.layer_by_name(head)
              for spec in view.params if spec.name}
    twins = [view.name for view in ptx_file.net.layers
             if any(spec.name in shared for spec in view.params)]
    return list(dict.fromkeys(heads + twins))


def _suffixed(head: str, suffix: str) -> str:
    return head if head.endswith(suffix) else head + suffix


def _filler_step(ptx_file, layer: str) -> EditResult:
    style = detect_style(ptx_file.doc)
    edits = []
    for view in layers_named(ptx_file, layer):
        block = view.node.message(num_output.block_name(view))
        fillers = [("weight_filler", [("type", quoted_like(None, "gaussian", style)),
                                      ("std", "0.01")])]
        if blob_count(view) > 1:
            fillers.append(("bias_filler", [("type", quoted_like(None, "constant", style)),
                                            ("value", "0")]))
        missing = [item for item in fillers if not block.has(item[0])]
        if missing:
            edits.append(insert_items(block, missing, style))
    changes = [f"'{layer}': weight/bias fillers added (Caffe's default is constant 0)"]
    return EditResult(edits, changes if edits else [])


def _params(value, options) -> dict:
    return {"n": None if value == "-" else positive_int(value, "--replace-head"),
            "heads": options.head, "labels": options.labels,
            "drop_class_weighting": options.drop_class_weighting,
            "class_weighting": _weights(options.class_weighting),
            "name": options.name, "suffix": options.suffix,
            "lr_mult": parse_mults(options.head_lr_mult, "--head-lr-mult")}


def _weights(text: Optional[str]) -> List[float]:
    """``W1,...,WN`` -> N non-negative weights; PtxError otherwise."""
    if text is None:
        return []
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not values or any(v < 0 for v in values):
        raise PtxError(f"--class-weighting wants W1,...,WN with non-negative numbers, got {text!r}")
    return values


LABELS = Option("--labels", {"metavar": "FILE", "help": "class names, label list or SSD labelmap "
                                                        "giving --replace-head's N"})
DROP_CLASS_WEIGHTING = Option("--drop-class-weighting", {
    "action": "store_true", "help": "remove a SegNet loss's class_weighting of the old class count"})
CLASS_WEIGHTING = Option("--class-weighting", {
    "metavar": "W1,...,WN", "help": "a SegNet loss's new class_weighting, one weight per class"})
HEAD = Option("--head", {"action": "append", "default": [], "metavar": "LAYER",
                         "help": "the head layer(s) to replace (default: found from the losses)"})
NAME = Option("--name", {"help": "new name of the (single) head"}, exclusive="head name")
SUFFIX = Option("--suffix", {"help": "suffix for renamed heads (default _new)"},
                exclusive="head name")
WRITE_LABELMAP = Option("--write-labelmap", {
    "metavar": "FILE", "help": "with --labels, also write the classes as an SSD labelmap "
                               "(background 0, then the classes)"})
REPLACE_HEAD = Pass("replace_head", run, "new heads for N classes (detection adds background); "
                    "N may be omitted ('-') with --labels", "N", _params,
                    (LABELS, WRITE_LABELMAP, DROP_CLASS_WEIGHTING, CLASS_WEIGHTING, HEAD, NAME, SUFFIX,
                     HEAD_LR_MULT))
