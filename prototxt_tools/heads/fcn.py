"""FCN: score layers and the upsampling (Deconvolution) they feed.

FCN-8s sums upsampled ``score_fr`` with ``score_pool4`` and ``score_pool3``: every
score layer and every Deconvolution between them and the loss must carry the new
class count, or the Eltwise sums 21 and N channels and Caffe aborts.  The
upsampling layers are bilinear interpolation, not learnt: each gets
``num_output = group = N`` (one 2-D kernel per class), a ``bilinear`` weight
filler (FCN's Python surgery does this by hand) and ``lr_mult: 0``, and is
renamed, since the original's 21 x 21 kernels cannot be copied into it.  Early
FCN-8s releases learn two of them (``score2``, ``score4``: lr_mult 1, 21 x 21 kernels
with no filler, i.e. constant 0): those get the same group and bilinear start, and
keep learning.
"""
from __future__ import annotations

from typing import Optional

from .classification import plan_for
from .plan import Classes, Head, Plan
from .scores import find_scores
from .walk import num_output

NAME = "fcn"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    old = {num_output(h) for h in scores.heads}
    upsampling = [layer for layer in scores.passed_of("Deconvolution")
                  if num_output(layer) in old]
    if not scores.heads or not upsampling:
        return None
    result = plan_for(NAME, scores, classes)
    outputs, _ = classes.as_listed()
    names = list(dict.fromkeys(layer.name for layer in upsampling))
    result.heads += [Head(name, outputs, "bilinear upsampling, one kernel per class",
                          upsampling=True) for name in names]
    return result
