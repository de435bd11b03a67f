"""The pieces every shape rule shares: Caffe's integer arithmetic, its messages, the registry.

A rule is ``rule(layer, bottoms) -> Shapes`` where ``bottoms`` are the
bottom shapes (tuples of ints) in order.  It raises ShapeError carrying the
text Caffe's failed CHECK prints, so ptx can say exactly what Caffe would.
Rules are registered per layer type; a type without a rule (a fork layer)
makes its tops unknown instead of failing -- forks can register their own.
"""
from __future__ import annotations

from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from ..registry import Registry

Shape = Tuple[int, ...]
INT_MAX = 2 ** 31 - 1
MAX_BLOB_AXES = 32


class ShapeError(Exception):
    """What Caffe's failed CHECK prints (without the glog prefix); ``kind`` groups findings."""

    def __init__(self, message: str, kind: str = "shape"):
        super().__init__(message)
        self.message = message
        self.kind = kind


class Shapes(NamedTuple):
    """A rule's answer: top shapes, parameter blob shapes, multiply-accumulates of the
    layers that multiply weights with inputs (convolutions, inner products, recurrent)."""

    tops: List[Optional[Shape]]
    params: List[Shape]
    macs: int = 0


Rule = Callable[[object, List[Shape]], Shapes]
RULES: Dict[str, Rule] = {}


def register(*types: str):
    """Decorator: ``@register("Convolution")`` makes the function the rule of those types."""
    def wrap(function: Rule) -> Rule:
        for kind in types:
            RULES[kind] = function
        return function
    return wrap


def register_rule(layer_type: str, function) -> None:
    """Register a rule for a fork's layer type; a 2-tuple ``(tops, params)`` answer is accepted."""
    def adapted(layer, bottoms):
        answer = function(layer, bottoms)
        return answer if isinstance(answer, Shapes) else Shapes(*answer)
    RULES[layer_type] = adapted


# The built-in rule modules; each registers its layer types with ``@register`` when imported.
MODULES = Registry("shape rule module", [f"{__package__}.{name}" for name in (
    "conv", "dense", "structure", "elementwise", "data", "ssd", "deeplab", "segnet",
    "mobilenet", "rcnn", "ocr")])


def rule_for(layer_type: str) -> Optional[Rule]:
    """The registered rule of ``layer_type`` (built-in modules load on first use), or None."""
    if layer_type not in RULES:
        list(MODULES)     # imports each module once (the registry keeps them)
    return RULES.get(layer_type)


# --- C++ arithmetic ---------------------------------------------------------
def legacy(shape: Sequence[int], index: int) -> int:
    """``Blob::LegacyShape``: num/channels/height/width (0-3), 1 past the blob's axes."""
    return shape[index] if index < len(shape) else 1


def cdiv(a: int, b: int) -> int:
    """C++ ``int / int``: truncates toward zero (Python's ``//`` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def count(shape: Sequence[int], start: int = 0, end: Optional[int] = None) -> int:
    total = 1
    for dim in shape[start:end]:
        total *= dim
    return total


def dims_text(shape: Optional[Sequence[Optional[int]]]) -> str:
    """How ptx writes a shape for people: ``"2x3x224x224"``; a 0-axis blob is ``"scalar"``;
    ``"?"`` for what is unknown (a partial shape's axis: ``"?x21x?x?"``, or all of it)."""
    if shape is None:
        return "?"
    return "x".join("?" if d is None else str(d) for d in shape) if len(shape) else "scalar"


def shape_string(shape: Sequence[int]) -> str:
    """``Blob::shape_string()``: ``"2 3 4 5 (120)"``; a scalar is ``"(1)"``."""
    return "".join(f"{d} " for d in shape) + f"({count(shape)})"


def check_failed(condition: str, left, right, message: str = "") -> ShapeError:
    """The text of a failed ``CHECK_xx(a, b) << message``."""
    tail = f" {message}" if message else ""
    return ShapeError(f"Check failed: {condition} ({left} vs. {right}){tail}")


def check(ok: bool, condition: str, message: str = "", kind: str = "shape") -> None:
    """``CHECK(condition) << message``."""
    if not ok:
        tail = f" {message}" if message else ""
        raise ShapeError(f"Check failed: {condition}{tail}", kind)


def check_op(left, op: str, right, condition: str, message: str = "", kind: str = "shape") -> None:
    """``CHECK_EQ/NE/LT/LE/GT/GE(left, right) << message``: Caffe prints both values."""
    ok = {"==": left == right, "!=": left != right, "<": left < right, "<=": left <= right,
          ">": left > right, ">=": left >= right}[op]
    if not ok:
        error = check_failed(condition, left, right, message)
        error.kind = kind
        raise error


def canonical_axis(axis: int, shape: Sequence[int]) -> int:
    """``Blob::CanonicalAxisIndex``: negative counts from the end; out of range dies."""
    n = len(shape)
    where = f"axis {axis} out of range for {n}-D Blob with shape {shape_string(shape)}"
    check_op(axis, ">=", -n, "axis_index >= -num_axes()", where, "axis")
    check_op(axis, "<", n, "axis_index < num_axes()", where, "axis")
    return axis + n if axis < 0 else axis


def check_blob(shape: Sequence[int]) -> None:
    """``Blob::Reshape``'s checks on every top Caffe allocates."""
    check_op(len(shape), "<=", MAX_BLOB_AXES, "shape.size() <= kMaxBlobAxes")
    total = 1
    for dim in shape:
        check_op(dim, ">=", 0, "shape[i] >= 0")
        if total != 0:
            check(dim <= INT_MAX // total, "shape[i] <= 0x7fffffff / count_",
                  "blob size exceeds INT_MAX")
        total *= dim


def same(bottoms: List[Shape], n_tops: int = 1) -> Shapes:
    """Tops shaped like bottom 0 (neuron layers, Dropout, Softmax...)."""
    return Shapes([bottoms[0]] * n_tops, [])


def param(layer, field: str):
    """The layer's ``*_param`` block read with schema defaults."""
    return layer.typed(field)


def as_int(value, default: int = 0) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    return default


def int_field(p, block: str, name: str, default: int = 0) -> int:
    """An integer field of a fork's ``*_param`` block; ``default`` (the fork's) when unset.

    Without the fork's schema a value reads raw, so a non-integer one (a typo, a quoted
    number) is a ShapeError naming the field: protobuf would refuse the file, and a
    silent default would give a shape the fork never computes."""
    value = p.get(name)
    if value is None or not p.is_set(name):
        return as_int(value, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ShapeError(f"{block}.{name} must be an integer, not {value!r}")
    return value


def truthy(value) -> bool:
    return value is True or str(value).lower() == "true"
