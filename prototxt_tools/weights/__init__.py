"""Weights files: a fast scanner, Caffe's weight-copy rules, and weight surgery.

``scan_caffemodel(path)`` -> ModelScan (layer names, types, blob shapes; floats never
decoded) of a binary .caffemodel or, with h5py, an HDF5 one (``hdf5.py``); ``preview_copy(targets, scans)`` -> CopyPreview (what CopyTrainedLayersFrom
does); ``preview_for_file(ptx_file, weights, ...)`` does both for a net; surgery lives in
``prototxt_tools.weights.surgery`` (``hdf5_surgery`` for HDF5 files).
"""
from .preview import (COPIED, FILLER, IGNORED, CopyOutcome, CopyPreview, preview_copy,
                      shape_equals, targets_from_shapes)
from .scan import scan_caffemodel
from .stored import ModelScan, StoredBlob, StoredLayer

__all__ = ["scan_caffemodel", "ModelScan", "StoredLayer", "StoredBlob", "preview_copy",
           "CopyPreview", "CopyOutcome", "shape_equals", "targets_from_shapes", "preview_for_file",
           "COPIED", "FILLER", "IGNORED"]


def preview_for_file(ptx_file, weights, phase: str = "TRAIN", level: int = 0, stages=(),
                     input_shapes=None) -> CopyPreview:
    """Weight-copy preview of ``weights`` (a path or a list of paths, loaded in order)
    into ``ptx_file``'s net in the given state."""
    from ..shapes import infer_file
    paths = [weights] if isinstance(weights, str) else list(weights)
    scans = [scan_caffemodel(path) for path in paths]
    result = infer_file(ptx_file, phase, level, stages, input_shapes)
    return preview_copy(targets_from_shapes(result), scans)
