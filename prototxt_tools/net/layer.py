"""Read-only view of one layer, in any of Caffe's three net formats.

The view holds the layer's CST node and reads it on demand, so it always
agrees with the text.  Types are reported as V2 strings because Caffe
upgrades V0/V1 nets before building them; ``raw_type`` keeps what was written.
"""
from __future__ import annotations

from typing import List, Optional

from ..syntax import Field, ListValue, Message, Scalar
from .coerce import as_bool, as_float, as_phase
from .kind import V0, V1, V2
from .rules import ParamSpec, Rule, param_from_message, params_from_legacy
from .typed import TypedParams, field_def, message_def
from .types import v0_type_to_v2, v1_type_to_v2

_OWNER = {V0: "caffe.V0LayerParameter", V1: "caffe.V1LayerParameter"}
V2_OWNER = "caffe.LayerParameter"


class _memoized:
    """A property computed once per view: the syntax tree under a view never changes,
    and graphs read the same layer fields once per phase.

    A non-data descriptor: the first read stores the value in the instance
    ``__dict__`` under the property's name, which then shadows the descriptor,
    so every later read is a plain attribute lookup (graphs read ~20 per layer)."""

    def __init__(self, method):
        self.method = method
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __get__(self, layer, owner=None):
        if layer is None:
            return self
        value = layer.__dict__[self.name] = self.method(layer)
        return value


def _add_scalars(value, nodes: list, names: list) -> None:
    """Append the Scalars of a ``bottom``/``top`` value (one, or a ``[a, b]`` list) and
    their names (``str`` of the decoded value)."""
    if isinstance(value, Scalar):
        nodes.append(value)
        names.append(str(value.value))
    elif type(value) is ListValue:
        for item in value.items:
            if isinstance(item, Scalar):
                nodes.append(item)
                names.append(str(item.value))


class Layer:
    """One ``layer {}`` (V2), ``layers {}`` (V1) or V0 ``layers { layer {} }`` entry.

    ``node`` is the layer's message (for V0 the outer ``layers`` message, whose
    ``bottom``/``top`` sit beside the nested ``layer {}``); ``field`` is the
    ``layer {...}`` field around it (the span to cut when deleting the layer);
    ``index`` is its position among the net's layers in file order.
    """

    __slots__ = ("node", "index", "format", "schema", "field", "__dict__")  # __dict__: memos

    def __init__(self, node: Message, index: int, format: str, schema=None,
                 field: Optional[Field] = None):
        self.node = node
        self.index = index
        self.format = format
        self.schema = schema
        self.field = field

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

    def _walk_fields(self) -> dict:
        """Fill the memos graphs read for every layer (bottoms, tops, their nodes,
        ``has_rules``, type) in one walk over the layer message's fields, and return
        the memo dict.

        One walk costs less than building the message's name index and looking each
        name up, and one call less than a memo each; it allocates only what the
        memos keep (fewer objects, fewer garbage collections).  Order and filtering
        are ``Message.values``'s: source order, ``[a, b]`` lists flattened, Scalars kept."""
        bottom_nodes, top_nodes, bottoms, tops = [], [], [], []
        has_rules = False
        type_field = None
        for field in self.node.fields:
            name = field.name
            if name == "bottom":
                _add_scalars(field.value, bottom_nodes, bottoms)
            elif name == "top":
                _add_scalars(field.value, top_nodes, tops)
            elif name == "type":
                type_field = field
            elif name == "include" or name == "exclude":
                has_rules = True
        memo = self.__dict__
        memo["bottom_nodes"], memo["top_nodes"] = bottom_nodes, top_nodes
        memo["bottoms"], memo["tops"] = bottoms, tops
        memo["has_rules"] = has_rules
        memo["_type_field"] = type_field
        if self.format == V2 and type_field is not None and type(type_field.value) is Scalar:
            memo["type"] = str(type_field.value.value)  # the common case, without calls
        else:
            memo["type"] = self._v2_type(self.raw_type)
        return memo

    @property
    def raw_type(self):
        """The type exactly as decoded from the file (enum name, V0 string...), or None."""
        if self.format == V0:
            return self.body.scalar("type")
        field = self._type_field  # the last one: what ``Message.scalar`` reads
        if field is None or not isinstance(field.value, Scalar):
            return None
        return field.value.value

    @_memoized
    def type(self) -> str:
        """The V2 type string; an unmapped V0/V1 type is returned as written."""
        return self._walk_fields()["type"]

    def _v2_type(self, raw) -> str:
        if raw is None:
            return ""
        mapped = None
        if self.format == V1:
            mapped = v1_type_to_v2(raw)
        elif self.format == V0:
            mapped = v0_type_to_v2(raw)
        return str(raw) if mapped is None else mapped

    @_memoized
    def _type_field(self):
        return self._walk_fields()["_type_field"]

    @_memoized
    def bottoms(self) -> List[str]:
        return self._walk_fields()["bottoms"]

    @_memoized
    def tops(self) -> List[str]:
        return self._walk_fields()["tops"]

    @_memoized
    def bottom_nodes(self) -> list:
        return self._walk_fields()["bottom_nodes"]

    @_memoized
    def top_nodes(self) -> list:
        return self._walk_fields()["top_nodes"]

    @_memoized
    def has_rules(self) -> bool:
        """Whether the layer has ``include`` or ``exclude`` fields: most have none, and
        state filtering then keeps them without reading any rule."""
        return self._walk_fields()["has_rules"]

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
