"""Partial shapes: what is known of a blob whose full shape is not (``N x 21 x ? x ?``).

A Python or fork data layer leaves every shape below it unknown, yet most of
Caffe's checks need only some dimensions: an Eltwise summing 21 and 5 channels
fails whatever the image size, and a convolution's weights are
``num_output x C_in/group x kh x kw`` whatever the spatial sizes.  For a layer the
full inference could not set up, the layer's own shape rule runs twice, with the
unknown dimensions replaced by two different probe values (the batch by 1 and 2,
other axes by 64 and 67: big enough for kernels, small enough for INT_MAX).  What comes out equal both times is known; what
differs was derived from an unknown.  A check that fails both times fails whatever
the unknowns are: it is reported with Caffe's message, ``?`` where the numbers
came from a probe.  A check that fails once proves nothing and is not reported.

Unknown dimensions of bottoms that must agree (Eltwise, Concat off its axis...) take
the value another bottom knows, so only known values are ever compared.  A bottom
of unknown rank is taken as 4-D only for layers that need 4-D input (convolution,
pooling...): elsewhere (ROI layers, losses) the layer stays unknown.
"""
from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from .core import ShapeError, check_blob

PartialShape = Optional[Tuple[Optional[int], ...]]
PROBES = ((1, 64), (2, 67))
FOUR_D = frozenset((
    "Convolution", "Deconvolution", "DepthwiseConvolution", "Pooling", "LRN", "BatchNorm",
    "Scale", "Bias", "ReLU", "PReLU", "ELU", "Sigmoid", "TanH", "Dropout", "Power", "AbsVal",
    "Interp", "Upsample", "Split", "Eltwise", "Concat", "Crop", "Normalize", "Permute",
    "Flatten", "Softmax"))
_UNIFY_SKIP = ("Crop",)   # its bottoms differ by design at the cropped axes
# Checks on divisibility of counts: unknown dimensions often depend on each other
# (Faster R-CNN's RPN reshapes 9H x W into H x W x 9), which probes cannot follow.
NO_VERDICT = ("Reshape", "Slice")


def known(shape: PartialShape) -> bool:
    return shape is not None and all(d is not None for d in shape)


class Judgement:
    """What the probes settled for one layer: tops, params when fully known, an error."""

    def __init__(self):
        self.tops: List[PartialShape] = []
        self.params: Optional[list] = None
        self.error: Optional[ShapeError] = None
        self.checked = False


def judge(rule, layer, bottoms: Sequence[PartialShape]) -> Optional[Judgement]:
    """Run ``rule`` on probe values for the unknown dimensions; None when nothing can be
    said (an unknown rank where 4-D cannot be assumed, or the rule cannot run)."""
    shaped = [_with_rank(b, layer.type) for b in bottoms]
    if any(b is None for b in shaped) or not shaped:
        return None
    if layer.type not in _UNIFY_SKIP:
        shaped = _unify(shaped)
    runs = [_run(rule, layer, [_probe(b, p, i, layer.type) for i, b in enumerate(shaped)])
            for p in PROBES]
    if any(run is None for run in runs):
        return None
    result = Judgement()
    (a, error_a), (b, error_b) = runs
    if error_a is not None and error_b is not None and layer.type not in NO_VERDICT:
        result.error = ShapeError(merge_messages(error_a.message, error_b.message), error_a.kind)
        result.checked = True
        return result
    if error_a is not None or error_b is not None:
        return None
    result.tops = [_agree(x, y) for x, y in zip(a.tops, b.tops)]
    if [tuple(p) for p in a.params] == [tuple(p) for p in b.params]:
        result.params = [tuple(p) for p in a.params]
    result.checked = True
    return result


def _with_rank(shape: PartialShape, layer_type: str) -> PartialShape:
    if shape is None and layer_type in FOUR_D:
        return (None, None, None, None)
    return shape


def _unify(bottoms: List[Tuple]) -> List[Tuple]:
    """Unknown dims take the value another bottom of the same rank knows at that axis;
    an unknown batch (axis 0) takes any bottom's (predictions and labels share it)."""
    batch = next((b[0] for b in bottoms if b and b[0] is not None), None)
    bottoms = [(batch,) + tuple(b[1:]) if b and b[0] is None else b for b in bottoms]
    ranks = {len(b) for b in bottoms}
    if len(ranks) != 1:
        return bottoms
    out = []
    for b in bottoms:
        filled = []
        for axis, dim in enumerate(b):
            if dim is None:
                dim = next((o[axis] for o in bottoms if o[axis] is not None), None)
            filled.append(dim)
        out.append(tuple(filled))
    return out


def _probe(shape: Tuple, probes: Tuple[int, int], index: int, layer_type: str) -> Tuple[int, ...]:
    batch, size = probes
    if layer_type in _UNIFY_SKIP:
        size += 1000 * (1 - min(index, 1))   # Crop: the cropped bottom is the larger one
    return tuple((batch if axis == 0 else size) if d is None else d for axis, d in enumerate(shape))


def _run(rule, layer, bottoms):
    """(answer, None) or (None, ShapeError); None when the rule cannot run."""
    try:
        answer = rule(layer, list(bottoms))
        for top in answer.tops:
            if top is not None:
                check_blob(top)
        return answer, None
    except ShapeError as exc:
        return None, exc
    except (IndexError, ZeroDivisionError, TypeError, ValueError, KeyError):
        return None


def _agree(x, y) -> PartialShape:
    if x is None or y is None or len(x) != len(y):
        return None
    return tuple(a if a == b else None for a, b in zip(x, y))


_TOKEN = re.compile(r"-?\d+|\D+")


def merge_messages(a: str, b: str) -> str:
    """One message from the two probe runs: numbers that differ become ``?``."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    if len(ta) != len(tb):
        return a
    return "".join(x if x == y else "?" for x, y in zip(ta, tb))


def reader_partial(layer) -> List[PartialShape]:
    """A Data layer whose database is absent: ``batch x ? x crop x crop`` and ``batch``
    labels (channels live in the database, the crop size in the prototxt); a Python data
    layer ptx knows: its setup()'s tops, ``?`` where its configuration decides."""
    if layer.type == "Python":
        from .data import python_data_tops
        return python_data_tops(layer, partial=True)
    out: List[PartialShape] = [None] * len(layer.tops)
    if layer.type != "Data" or not layer.tops:
        return out
    batch = layer.typed("data_param").get("batch_size")
    crop = layer.typed("transform_param").get("crop_size")
    batch = batch if isinstance(batch, int) and batch > 0 else None
    crop = crop if isinstance(crop, int) and crop > 0 else None
    out[0] = (batch, None, crop, crop)
    if len(out) > 1:
        out[1] = (batch,)
    return out
