"""Top shapes of the Python layers ptx knows: what each layer's ``setup()`` gives its tops.

Caffe's ``Net::Init`` sizes a Python layer's tops by calling its ``setup()`` and
``reshape()``; ptx does not run that code (``ptx check`` replaces the layer by a
stand-in of the shapes ptx infers, caffe/standins.py).  For layers whose code is
public and widely copied, the shapes ``setup()`` sets are facts, written here as
rules: one entry per ``module.layer`` as the net's ``python_param`` names them.
The shapes are those at net initialisation (what Caffe checks the layers below
against); ``forward()`` later resizes most tops to the batch's boxes and regions.

A value that comes from the layer's configuration (py-faster-rcnn's ``cfg``, set
by a YAML file ptx does not see) rather than from the net is *configured*: shape
inference leaves it unknown (``?``), and ``ptx check`` uses the code's default and
says so.  A Python layer not listed here keeps unknown tops: no guess.

Sources: py-faster-rcnn (rbgirshick/py-faster-rcnn, ``lib/roi_data_layer/layer.py``
and ``lib/rpn/*.py``, config defaults in ``lib/fast_rcnn/config.py``).  py-R-FCN
(YuwenXiong/py-R-FCN) ships modules of the same names whose ProposalTargetLayer gives
the same sizes as 4-D blobs (rois 1 x 5 x 1 x 1, labels 1 x 1 x 1 x 1...).  The rank
matters where a blob meets another (R-FCN's OHEM nets sum the per-region losses, one
shaped like the labels, in an Eltwise), so a net with PSROIPooling -- written for
py-R-FCN -- gets py-R-FCN's (``flavour_of``).  (py-R-FCN's RoIDataLayer without the RPN
also has 4-D region tops, and with cfg.TRAIN.AGNOSTIC 8 box targets: not modelled, its
RPN form, the one R-FCN's end-to-end nets use, is py-faster-rcnn's.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .core import Shape, Shapes

# py-faster-rcnn's config defaults (lib/fast_rcnn/config.py) that set data-layer sizes.
TRAIN_SCALES_MAX = 600      # max(cfg.TRAIN.SCALES)
TRAIN_MAX_SIZE = 1000       # cfg.TRAIN.MAX_SIZE
TRAIN_IMS_PER_BATCH = 2     # cfg.TRAIN.IMS_PER_BATCH
ANCHOR_RATIOS = 3           # generate_anchors(ratios=[0.5, 1, 2]); param_str cannot change it
ANCHOR_SCALES = 3           # param_str 'scales' default (8, 16, 32)


@dataclass(frozen=True)
class PythonLayerShapes:
    """One Python layer's rule: ``rule(layer, bottoms) -> Shapes`` (None where the layer
    itself would fail in setup), the axes of each top that come from its configuration,
    and what ``ptx check`` says when it uses the configuration's defaults."""

    name: str                                      # module.layer
    rule: Callable[[object, List[Shape]], Optional[Shapes]]
    needs_bottoms: bool = True                     # False: tops never depend on bottoms
    configured: Callable[[object], Dict[int, Tuple[int, ...]]] = lambda layer: {}
    assumed: Callable[[object], List[str]] = lambda layer: []
    region_tops: Tuple[int, ...] = ()              # 4-D in py-R-FCN's copy of the module


PY_FASTER_RCNN, PY_RFCN = "py-faster-rcnn", "py-R-FCN"


def flavour_of(net) -> str:
    """Whose copy of these modules a net runs: R-FCN's nets (PSROIPooling) py-R-FCN's."""
    return PY_RFCN if any(layer.type == "PSROIPooling" for layer in net.layers) else PY_FASTER_RCNN


PYTHON_LAYERS: Dict[str, PythonLayerShapes] = {}


def python_layer(name: str, **options):
    """Decorator: the function is the rule of the Python layer ``module.layer`` ``name``."""
    def wrap(rule):
        PYTHON_LAYERS[name] = PythonLayerShapes(name, rule, **options)
        return rule
    return wrap


def module_of(layer) -> str:
    """``module.layer`` as the net's python_param names them ('' when either is missing)."""
    block = layer.body.message("python_param")
    if block is None:
        return ""
    module, name = block.scalar("module"), block.scalar("layer")
    return f"{module}.{name}" if module and name else ""


def known_python_layer(layer) -> Optional[PythonLayerShapes]:
    """The registry entry of a ``type: "Python"`` layer, or None (unknown code)."""
    if layer.type != "Python":
        return None
    return PYTHON_LAYERS.get(module_of(layer))


def python_rule(layer, flavour: str = PY_FASTER_RCNN):
    """The layer's rule as a shape rule (ValueError where its setup() would fail), or None."""
    entry = known_python_layer(layer)
    if entry is None:
        return None

    def rule(layer, bottoms):
        answer = entry.rule(layer, bottoms)
        if answer is None:
            raise ValueError(f"{entry.name}: its setup() fails on this layer")
        if flavour == PY_RFCN and entry.region_tops:
            tops = [tuple(top) + (1,) * (4 - len(top)) if i in entry.region_tops else top
                    for i, top in enumerate(answer.tops)]
            answer = Shapes(tops, answer.params)
        return answer
    return rule


def partial_tops(entry: PythonLayerShapes, layer, tops: Sequence[Optional[Shape]]) -> list:
    """``tops`` with the configured axes unknown (None): what the net alone fixes."""
    configured = entry.configured(layer)
    out = []
    for i, top in enumerate(tops):
        axes = configured.get(i, ())
        out.append(None if top is None else
                   tuple(None if axis in axes else d for axis, d in enumerate(top)))
    return out


# --- param_str: a YAML dict literal ("'num_classes': 21", "'scales': !!python/tuple [8, 16]")
def _param_str(layer) -> str:
    block = layer.body.message("python_param")
    value = block.scalar("param_str") if block is not None else None
    return value if isinstance(value, str) else ""


def _key(name: str) -> str:
    return r"(?<![\w])['\"]?" + re.escape(name) + r"['\"]?\s*:\s*"


def param_int(layer, name: str) -> Optional[int]:
    """An integer value of the layer's param_str, or None when absent."""
    match = re.search(_key(name) + r"(-?\d+)\b", _param_str(layer))
    return int(match.group(1)) if match else None


def param_list_length(layer, name: str) -> Optional[int]:
    """How many items a list/tuple value of the param_str has, or None when absent."""
    match = re.search(_key(name) + r"(?:!!python/tuple\s*)?[\[(]([^\])]*)[\])]", _param_str(layer))
    if match is None:
        return None
    return len([item for item in match.group(1).split(",") if item.strip()])


def _anchors(layer) -> int:
    """generate_anchors(scales=param_str 'scales'): 3 aspect ratios x the scales."""
    return ANCHOR_RATIOS * (param_list_length(layer, "scales") or ANCHOR_SCALES)


# --- the layers ---------------------------------------------------------------
def _rpn_mode(layer) -> Optional[bool]:
    """RoIDataLayer's tops follow cfg.TRAIN.HAS_RPN: data, im_info, gt_boxes (end-to-end
    Faster R-CNN) or data, rois, labels [, bbox_targets, bbox_inside/outside_weights]
    (Fast R-CNN; 3 tops without box regression).  The net only shows the count; three
    tops are the RPN's unless the second is named 'rois'.  None: no setup gives that many."""
    tops = layer.tops
    if len(tops) == 6:
        return False
    if len(tops) == 3:
        return tops[1] != "rois"
    return None


def _roi_data_configured(layer) -> Dict[int, Tuple[int, ...]]:
    # images: max(cfg.TRAIN.SCALES) x cfg.TRAIN.MAX_SIZE; batch cfg.TRAIN.IMS_PER_BATCH, which
    # with the RPN must be 1 (minibatch.py asserts a single image).
    return {0: (2, 3) if _rpn_mode(layer) else (0, 2, 3)}


def _roi_data_assumed(layer) -> List[str]:
    batch = "" if _rpn_mode(layer) else f"cfg.TRAIN.IMS_PER_BATCH {TRAIN_IMS_PER_BATCH}, "
    return [f"'{layer.tops[0]}' of '{layer.name}' ({module_of(layer)}) sized as its setup() "
            f"does with py-faster-rcnn's default config ({batch}max(cfg.TRAIN.SCALES) "
            f"{TRAIN_SCALES_MAX}, cfg.TRAIN.MAX_SIZE {TRAIN_MAX_SIZE}); --input-shape "
            f"{layer.tops[0]}=N,3,H,W sets another"]


@python_layer("roi_data_layer.layer.RoIDataLayer", needs_bottoms=False,
              configured=_roi_data_configured, assumed=_roi_data_assumed)
def roi_data_layer(layer, bottoms: List[Shape]) -> Optional[Shapes]:
    """py-faster-rcnn's training data layer (setup()): images N x 3 x 600 x 1000 (config
    defaults); with the RPN im_info 1 x 3 and gt_boxes 1 x 4; without it rois 1 x 5, labels
    [1] and the three box blobs 1 x 4K, K = param_str 'num_classes' (background included)."""
    rpn = _rpn_mode(layer)
    classes = param_int(layer, "num_classes")
    if rpn is None or classes is None:
        return None   # setup() fails (KeyError, or its top-count assertion)
    images = (1 if rpn else TRAIN_IMS_PER_BATCH, 3, TRAIN_SCALES_MAX, TRAIN_MAX_SIZE)
    if rpn:
        return Shapes([images, (1, 3), (1, 4)], [])
    boxes = [(1, 4 * classes)] * (len(layer.tops) - 3)
    return Shapes([images, (1, 5), (1,)] + boxes, [])


@python_layer("rpn.anchor_target_layer.AnchorTargetLayer")
def anchor_target_layer(layer, bottoms: List[Shape]) -> Optional[Shapes]:
    """py-faster-rcnn's RPN target layer: with A anchors per location (3 ratios x the
    param_str 'scales', 9 by default) and bottom[0] (the RPN score map) H x W, labels
    1 x 1 x AH x W, box targets and both weights 1 x 4A x H x W."""
    if len(bottoms) < 1 or len(bottoms[0]) < 2 or len(layer.tops) != 4:
        return None
    height, width = bottoms[0][-2:]
    anchors = _anchors(layer)
    boxes = (1, 4 * anchors, height, width)
    return Shapes([(1, 1, anchors * height, width), boxes, boxes, boxes], [])


@python_layer("rpn.proposal_target_layer.ProposalTargetLayer", needs_bottoms=False,
              region_tops=(0, 1, 2, 3, 4))
def proposal_target_layer(layer, bottoms: List[Shape]) -> Optional[Shapes]:
    """py-faster-rcnn's region sampler (setup()): rois 1 x 5, labels 1 x 1, box targets and
    both weights 1 x 4K with K = param_str 'num_classes' (background included; 2 in a
    class-agnostic R-FCN net); py-R-FCN's: the same, 4-D (1 x 5 x 1 x 1...)."""
    classes = param_int(layer, "num_classes")
    if classes is None or len(layer.tops) != 5:
        return None
    boxes = (1, 4 * classes)
    return Shapes([(1, 5), (1, 1), boxes, boxes, boxes], [])


@python_layer("rpn.proposal_layer.ProposalLayer", needs_bottoms=False)
def proposal_layer(layer, bottoms: List[Shape]) -> Optional[Shapes]:
    """py-faster-rcnn's proposal layer (setup()): rois 1 x 5 and, when asked, scores
    1 x 1 x 1 x 1 (forward() gives one row per proposal kept)."""
    if len(layer.tops) not in (1, 2):
        return None
    return Shapes([(1, 5), (1, 1, 1, 1)][:len(layer.tops)], [])
