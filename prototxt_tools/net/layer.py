"""Read-only view of one layer, in any of Caffe's three net formats.

The view holds the layer's CST node and reads it on demand, so it always
agrees with the text.  Types are reported as V2 strings because Caffe
upgrades V0/V1 nets before building them; ``raw_type`` keeps what was written.
"""
from __future__ import annotations

from typing import List, Optional

from ..syntax import Field, Message, Scalar
from .coerce import as_bool, as_float, as_phase
from .kind import V0, V1
from .rules import ParamSpec, Rule, param_from_message, params_from_legacy
from .typed import TypedParams, field_def, message_def
from .types import v0_type_to_v2, v1_type_to_v2

_OWNER = {V0: "caffe.V0LayerParameter", V1: "caffe.V1LayerParameter"}
V2_OWNER = "caffe.LayerParameter"


_MISSING = object()


def _memoized(method):
    """A property computed once per view: the syntax tree under a view never changes,
    and graphs read the same layer fields once per phase."""
    key = method.__name__

    def getter(self):
        memo = self._memo
        value = memo.get(key, _MISSING)
        if value is _MISSING:
            value = memo[key] = method(self)
        return value
    getter.__doc__ = method.__doc__
    return property(getter)


class Layer:
    """One ``layer {}`` (V2), ``layers {}`` (V1) or V0 ``layers { layer {} }`` entry.

    ``node`` is the layer's message (for V0 the outer ``layers`` message, whose
    ``bottom``/``top`` sit beside the nested ``layer {}``); ``field`` is the
    ``layer {...}`` field around it (the span to cut when deleting the layer);
    ``index`` is its position among the net's layers in file order.
    """

    __slots__ = ("node", "index", "format", "schema", "field", "_memo")

    def __init__(self, node: Message, index: int, format: str, schema=None,
                 field: Optional[Field] = None):
        self.node = node
        self.index = index
        self.format = format
        self.schema = schema
        self.field = field
        self._memo: dict = {}

    @property
    def body(self) -> Message:
        """The message holding name, type and parameters (V0: the nested ``layer {}``)."""
        if self.format == V0:
            inner = self.node.message("layer")
            if inner is not None:
                return inner
        return self.node

    @_memoized
    def name(self) -> str:
        value = self.body.scalar("name")
        return "" if value is None else str(value)

    @property
    def raw_type(self):
        """The type exactly as decoded from the file (enum name, V0 string...), or None."""
        return self.body.scalar("type")

    @_memoized
    def type(self) -> str:
        """The V2 type string; an unmapped V0/V1 type is returned as written."""
        raw = self.raw_type
        if raw is None:
            return ""
        mapped = None
        if self.format == V1:
            mapped = v1_type_to_v2(raw)
        elif self.format == V0:
            mapped = v0_type_to_v2(raw)
        return str(raw) if mapped is None else mapped

    @_memoized
    def bottoms(self) -> List[str]:
        return [str(n.value) for n in self.bottom_nodes]

    @_memoized
    def tops(self) -> List[str]:
        return [str(n.value) for n in self.top_nodes]

    @_memoized
    def bottom_nodes(self) -> list:
        return [n for n in self.node.values("bottom") if isinstance(n, Scalar)]

    @_memoized
    def top_nodes(self) -> list:
        return [n for n in self.node.values("top") if isinstance(n, Scalar)]

    @_memoized
    def wiring(self) -> tuple:
        """``(bottoms, bottom_nodes, tops, top_nodes)`` in one read: graphs of every
        phase wire the layer from these (``bottoms[j]`` names ``bottom_nodes[j]``)."""
        return self.bottoms, self.bottom_nodes, self.tops, self.top_nodes

    @_memoized
    def include(self) -> List[Rule]:
        return [Rule(m) for m in self.node.messages("include")]

    @_memoized
    def exclude(self) -> List[Rule]:
        return [Rule(m) for m in self.node.messages("exclude")]

    @_memoized
    def params(self) -> List[ParamSpec]:
        if self.format in (V0, V1):
            return params_from_legacy(self.body)
        return [param_from_message(m) for m in self.node.messages("param")]

    @_memoized
    def propagate_down(self) -> list:
        return [as_bool(v) for v in self.node.scalars("propagate_down")]

    @_memoized
    def loss_weight(self) -> list:
        return [as_float(v) for v in self.node.scalars("loss_weight")]

    @property
    def phase(self) -> Optional[str]:
        """The layer's own ``phase`` field (V2 only), or None: it then inherits the net's."""
        value = self.node.scalar("phase")
        return None if value is None else as_phase(value)

    def typed(self, param_field: str) -> TypedParams:
        """A ``*_param`` block read with schema defaults (absent block → all defaults).

        V0 layers keep their parameters flat in the nested ``layer {}``: the
        view is then that message whatever ``param_field`` is (V0 field names).
        """
        owner = message_def(self.schema, _OWNER.get(self.format, V2_OWNER))
        if self.format == V0:
            return TypedParams(self.body, owner, self.schema)
        fdef = field_def(owner, param_field)
        definition = message_def(self.schema, fdef.type_name) if fdef is not None else None
        return TypedParams(self.node.message(param_field), definition, self.schema)

    def __repr__(self) -> str:
        return f"Layer({self.index}, {self.name!r}, {self.type!r})"
