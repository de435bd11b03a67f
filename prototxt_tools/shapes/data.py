"""Layers that create blobs: Input, DummyData, and dataset readers (§5.19).

Dataset readers take their shapes from the prototxt where Caffe's own
setup would (batch_size, crop_size, new_height/new_width, MemoryData dims;
labels ``[batch_size]``); what only the dataset knows (a Data layer
without crop, HDF5 files) stays unknown unless the user gives it.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

from .core import Shape, Shapes, as_int, check, param, register
from .pylayers import known_python_layer, partial_tops


@register("Input")
def input_layer(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "input_param")
    shapes = p.get_all("shape")
    n_tops = len(layer.tops)
    check(len(shapes) in (0, 1, n_tops), "num_shape == 0 || num_shape == 1 || num_shape == num_top",
          f"Must specify 'shape' once, once per top blob, or not at all: {n_tops} tops vs. "
          f"{len(shapes)} shapes.")
    if not shapes:
        return Shapes([None] * n_tops, [])
    dims = [tuple(as_int(d) for d in s.get_all("dim")) for s in shapes]
    return Shapes([dims[0] if len(dims) == 1 else dims[i] for i in range(n_tops)], [])


def _per_top(values: list, i: int):
    return values[0] if len(values) == 1 else values[i]


@register("DummyData")
def dummy_data(layer, bottoms: List[Shape]) -> Shapes:
    p = param(layer, "dummy_data_param")
    n_tops = len(layer.tops)
    fillers = len(p.get_all("data_filler"))
    check(fillers in (0, 1, n_tops),
          "num_data_filler == 0 || num_data_filler == 1 || num_data_filler == num_top",
          f"Number of data fillers must be 0, 1 or equal to the number of tops: {n_tops}; "
          f"you specified {fillers} data fillers.")
    legacy = {name: [as_int(v) for v in p.get_all(name)]
              for name in ("num", "channels", "height", "width")}
    shapes = p.get_all("shape")
    if any(legacy.values()):
        check(not shapes, "0 == param.shape_size()", "Both shape and legacy fields were specified")
        for name, values in legacy.items():
            check(len(values) in (1, n_tops), f"param.{name}_size() == 1 || param.{name}_size() == num_top",
                  f"Must specify '{name}' once, or once per top blob ({n_tops}); specified {len(values)}.")
        return Shapes([tuple(_per_top(legacy[n], i) for n in legacy) for i in range(n_tops)], [])
    check(len(shapes) in (1, n_tops), "param.shape_size() == 1 || param.shape_size() == num_top",
          f"Must specify 'shape' once, or once per top blob ({n_tops}); specified {len(shapes)}.")
    return Shapes([tuple(as_int(d) for d in _per_top(shapes, i).get_all("dim"))
                   for i in range(n_tops)], [])


def given_shapes(layer, given: Dict[str, Sequence[int]]) -> Optional[List[Optional[Shape]]]:
    """Tops the user sized (by top name, or the first top by layer name); None when none."""
    tops = [given.get(top) for top in layer.tops]
    if tops and tops[0] is None and layer.name in given:
        tops[0] = given[layer.name]
    if not any(t is not None for t in tops):
        return None
    return [tuple(t) if t is not None else None for t in tops]


def reader_shapes(layer, given: Dict[str, Sequence[int]]) -> Optional[List[Optional[Shape]]]:
    """Tops of a dataset-reading layer, or None when it is not one."""
    from ..caffe.datashapes import DATA_TYPES, data_layer_shapes, is_data_layer
    from ..errors import PtxError
    if not is_data_layer(layer):   # Input and DummyData are not: their rules above size them
        return None
    if known_python_layer(layer) is not None:
        return _python_reader(layer, given)
    try:
        planned = data_layer_shapes(layer, given)
    except PtxError:
        sized = given_shapes(layer, given)
        return sized if sized is not None else [None] * len(layer.tops)
    shapes = [tuple(shape) for _, shape in planned.shapes]
    return shapes if layer.type in DATA_TYPES else _fork_reader(layer, shapes, given)


def _fork_reader(layer, shapes: List[Shape], given) -> List[Optional[Shape]]:
    """A fork's reader (ImageSegData, DenseImageData...) or a Python data layer: its first
    top is the images (as BVLC's readers shape them, or as ``--input-shape`` gives them),
    but its other tops are its own.  Per-pixel labels of the segmentation readers
    ``datashapes.dense_labels`` knows are N x 1 x H x W (as their Caffe shapes them); other
    tops (a Python layer's im_info, gt_boxes...) stay unknown unless the user gives them,
    rather than BVLC's [N] label shape that would make the loss below look wrong."""
    from ..caffe.datashapes import dense_labels
    known = len(shapes) if dense_labels(layer) else 1
    return shapes[:known] + [tuple(given[top]) if top in given else None
                             for top in layer.tops[known:]]


def _python_reader(layer, given) -> List[Optional[Shape]]:
    """A Python data layer whose setup() ptx knows (pylayers.py): the user's shapes, else
    its setup()'s, except tops with an axis from its configuration (unknown here)."""
    sized = given_shapes(layer, given) or [None] * len(layer.tops)
    known = python_data_tops(layer)
    return [s if s is not None else k for s, k in zip(sized, known)]


def python_data_tops(layer, partial: bool = False) -> list:
    """setup()'s tops of a known Python data layer: those with a configured axis are None,
    or (``partial``) have None at that axis; every top None where setup() would fail."""
    entry = known_python_layer(layer)
    answer = entry.rule(layer, []) if entry is not None else None
    if answer is None or len(answer.tops) != len(layer.tops):
        return [None] * len(layer.tops)
    tops = partial_tops(entry, layer, answer.tops)
    if partial:
        return tops
    return [None if top is None or None in top else top for top in tops]
