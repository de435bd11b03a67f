"""Static shape inference with Caffe's own arithmetic and messages (no Caffe needed).

``infer_shapes(graph, input_shapes)`` -> ShapeResult; ``infer_file(ptx_file, phase, ...)``
does the same for a loaded file (upgrading V0 nets first, as Caffe does).
Rules live in one module per family (conv, dense, structure, elementwise,
data; forks: ssd, deeplab, segnet, mobilenet, rcnn, ocr) in the registry ``RULES``;
``register_rule(type, fn)`` adds another fork's.
``sharing_errors(result)`` runs Caffe's checks on shared (named) params.
"""
from .core import RULES, ShapeError, Shapes, cdiv, register_rule, rule_for, shape_string
from .infer import LayerShapes, ShapeResult, infer_shapes
from .files import infer_file, parse_input_shapes
from .sharing import SharingError, sharing_errors

__all__ = ["RULES", "ShapeError", "Shapes", "ShapeResult", "LayerShapes", "cdiv", "infer_shapes",
           "infer_file", "parse_input_shapes", "register_rule", "rule_for", "shape_string",
           "SharingError", "sharing_errors"]
