"""DeepLab, PSPNet and other nets upsampling their scores with Interp: every ``fc8``
branch (ASPP sums four dilated classifiers with an Eltwise), and a CRF-RNN layer on top.

The branches must change together or the Eltwise sums different channel counts.
A CRF-RNN layer (``MultiStageMeanfield``) holds C x C compatibility and kernel
weights: it is renamed too so Caffe does not copy the old C x C blobs.
"""
from __future__ import annotations

from typing import Optional

from .classification import plan_for
from .plan import Classes, Head, Plan
from .scores import CRF_TYPES, find_scores

NAME = "deeplab"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    scores = find_scores(ptx_file)
    crf = [layer for layer in scores.passed if layer.type in CRF_TYPES
           and (layer.params or layer.type == "MultiStageMeanfield")]
    if not scores.heads or not (crf or scores.passed_of("Interp")):
        return None
    result = plan_for(NAME, scores, classes)
    names = list(dict.fromkeys(layer.name for layer in crf))
    result.heads += [Head(name, None, "C x C parameters") for name in names]
    return result
