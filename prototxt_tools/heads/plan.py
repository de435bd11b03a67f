"""What a head family decides for one net: the plan ``--replace-head`` carries out.

A family (``heads/<family>.py``) reads the net and returns a ``Plan``: which layers
start fresh (``Head``: renamed so Caffe does not copy their weights, with a new
output count), and every other place that encodes the class count (``Setting``:
a field such as ``num_classes``, a Reshape ``dim``, an Accuracy ``top_k``;
``ParamKey``: a key in a Python layer's ``param_str`` dict).  Nothing here edits
text: ``heads/apply.py`` turns a plan into edit steps.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Classes:
    """The user's class count.  ``count`` excludes background; ``background_listed``
    says the label list named a background class (counted by families that have no
    implicit background, e.g. segmentation label 0)."""

    count: int
    background_listed: bool = False
    source: str = ""

    def with_background(self) -> Tuple[int, str]:
        """(outputs, why) for families that add a background class (detection)."""
        return self.count + 1, f"{self.count} classes + background"

    def as_listed(self) -> Tuple[int, str]:
        """(outputs, why) for families whose labels are the outputs (classification,
        segmentation): background counts only when the list names it."""
        if self.background_listed:
            return self.count + 1, f"{self.count} classes + background, as {self.source} lists"
        return self.count, ""


@dataclass
class Head:
    """A layer that starts fresh: renamed (Caffe copies weights by layer name), its
    ``num_output`` set to ``outputs`` (None: rename only, e.g. a CRF's C x C blobs).
    ``upsampling``: a fixed bilinear Deconvolution (group = outputs, bilinear filler,
    lr_mult 0) rather than a learnt layer (lr raised, fillers added)."""

    layer: str
    outputs: Optional[int]
    why: str = ""
    upsampling: bool = False


@dataclass
class Setting:
    """``path`` of layer number ``index`` (file order) set to ``value``; ``item`` picks
    one value of a repeated field (Reshape's ``dim``)."""

    index: int
    layer: str
    path: Tuple[str, ...]
    value: int
    why: str = ""
    item: Optional[int] = None


@dataclass
class ParamKey:
    """Key ``key`` of the dict literal in layer ``index``'s ``python_param.param_str``."""

    index: int
    layer: str
    key: str
    value: int
    why: str = ""


@dataclass
class InputDim:
    """Axis ``axis`` of net input ``name``'s declared shape set to ``value`` (a deploy net
    fed the score maps directly: R-FCN's ``rcnn_deploy`` takes ``rfcn_cls`` as input)."""

    name: str
    axis: int
    value: int
    why: str = ""


@dataclass
class Drop:
    """Field ``name`` of block ``path`` in layer ``index`` removed (every occurrence)."""

    index: int
    layer: str
    path: Tuple[str, ...]
    names: Tuple[str, ...]
    why: str = ""


@dataclass
class Values:
    """Repeated field ``name`` of block ``path`` in layer ``index`` set to ``values`` (raw
    text, e.g. SegNet's ``class_weighting`` from ``--class-weighting``)."""

    index: int
    layer: str
    path: Tuple[str, ...]
    name: str
    values: Tuple[str, ...]
    why: str = ""


@dataclass
class Plan:
    """Everything ``--replace-head`` changes in one net, and what it says about it.
    ``keep_blob_names``: renamed heads keep their tops' names (detection test code
    reads ``cls_prob``/``bbox_pred`` by name)."""

    family: str
    heads: List[Head] = field(default_factory=list)
    settings: List[Setting] = field(default_factory=list)
    param_keys: List[ParamKey] = field(default_factory=list)
    drops: List[Drop] = field(default_factory=list)
    values: List[Values] = field(default_factory=list)
    input_dims: List[InputDim] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    keep_blob_names: bool = False

    def touched(self) -> List[str]:
        """Names of every layer the plan edits (heads and settings)."""
        names = [h.layer for h in self.heads] + [s.layer for s in self.settings]
        names += [k.layer for k in self.param_keys] + [d.layer for d in self.drops]
        names += [v.layer for v in self.values]
        return list(dict.fromkeys(names))
