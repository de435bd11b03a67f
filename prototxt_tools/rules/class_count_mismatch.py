"""The places of a net (or of a solver's nets) that encode the class count disagree.

## What it does
Finds, by the net's task family, every place that encodes the number of classes
and the count each implies (background included where the family has one): the
class score layer and the box regression (`4 x classes`) of Faster R-CNN, the
Python layers' `param_str` `'num_classes'`, R-FCN's position-sensitive maps
(`classes x k x k`) and PSROIPooling `output_dim`, SSD's confidence layers
(`priors x classes`, priors from the loc layer: `loc / 4`) and the `num_classes`
of MultiBoxLoss / DetectionOutput / DetectionEvaluate, FCN's fused score layers
and their upsampling Deconvolutions, SegNet's loss `class_weighting` (one weight
per class, read when `weight_by_label_freqs` is on); the heads of losses reading one
label blob (PSPNet's auxiliary and main scores, GoogLeNet's three classifiers) are one
task. One finding lists every place and its value when they disagree. On a solver, the train and test nets are compared; a
deploy net is compared with the training net beside it (as PTX701 finds it).
Class-agnostic box branches (8 outputs) and two-class anchor refinement heads
imply nothing and are left out.

## Why it matters
"The class count was changed in some layers but not others" is one of the most
reported fine-tuning failures: a ROI target layer making 21-class box targets for
a 3-class `bbox_pred` aborts in SmoothL1Loss or trains garbage; SSD conf layers
sized for 21 classes with `num_classes: 5` make MultiBoxLoss read the wrong
confidences; FCN's Eltwise aborts on 21 + 5 channels; SegNet's Caffe aborts at
setup when the class weights do not number the classes; an auxiliary head left at
21 classes builds without a word and trains the wrong task.

## Example
```prototxt
layer { name: "roi-data" type: "Python" ... python_param { param_str: "'num_classes': 21" } }
layer { name: "cls_score" type: "InnerProduct" inner_product_param { num_output: 3 } }
layer { name: "bbox_pred" type: "InnerProduct" inner_product_param { num_output: 8 } }
```

## Use instead
```prototxt
# ptx edit train.prototxt --replace-head 2 changes every place together:
layer { name: "roi-data" type: "Python" ... python_param { param_str: "'num_classes': 3" } }
layer { name: "bbox_pred" type: "InnerProduct" inner_product_param { num_output: 12 } }
```
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..errors import PtxError

CODE = "PTX309"
NAME = "class-count-mismatch"
SEVERITY = "error"
OPTIONS: dict = {}
HINT = "change them together: ptx edit FILE --replace-head N"


def check(context, options):
    if context.kind == "net" and context.net is None:
        yield from _within(context)
        yield from _with_partner(context)
    elif context.solver is not None:
        yield from _across(context)


def _agreed(ptx_file):
    """(class count, first place) when the net's places agree on one count, else None."""
    places = _places(ptx_file)
    found = {p.classes for p in places}
    return (found.pop(), places[0]) if len(found) == 1 else None


def _with_partner(context):
    """A deploy net against the training net beside it (``lint.models``)."""
    from ..lint.models import training_partner
    partner = training_partner(context)
    mine = _agreed(context.ptx_file)
    theirs = _agreed(partner) if partner is not None else None
    if mine is None or theirs is None or mine[0] == theirs[0]:
        return
    place = mine[1]
    yield context.report(place.node or place.layer.node,
                         f"this deploy net has {mine[0]} classes ({place.shown}) but the training "
                         f"net {partner.path} has {theirs[0]} ({theirs[1].shown}) -- {HINT}, "
                         f"naming both files")


def _places(ptx_file):
    from ..heads.census import census
    try:
        return census(ptx_file)
    except PtxError:
        return []


def _within(context):
    from ..heads.census import groups
    for group in groups(_places(context.ptx_file)):
        counts = Counter(p.classes for p in group)
        if len(counts) < 2:
            continue
        usual = counts.most_common(1)[0][0]
        odd = next(p for p in group if p.classes != usual)
        shown = ", ".join(p.shown for p in group)
        problem = context.report(odd.node or odd.layer.node,
                                 f"the class count disagrees within the net: {shown} -- {HINT}")
        yield replace(problem, related=tuple((p.node.line, p.node.col, p.shown)
                                             for p in group if p.node is not None))


def _across(context):
    """Each net of the solver with one agreed count; different counts across them."""
    solver = context.solver
    refs = [r for r in (solver.net, solver.train_net) if r is not None] + solver.test_net
    counts = []
    for ref in refs:
        loaded = context.load_referenced(ref.path)
        if loaded is None or loaded.kind != "net":
            continue
        places = _places(loaded)
        found = {p.classes for p in places}
        if len(found) == 1:
            counts.append((ref, found.pop(), places[0].shown))
    if len({count for _, count, _ in counts}) > 1:
        listed = ", ".join(f"{ref.path}: {count} ({shown})" for ref, count, shown in counts)
        yield context.report(counts[1][0].node,
                             f"the solver's nets have different class counts: {listed} -- "
                             f"edit them together: ptx edit TRAIN TEST --replace-head N")
