"""Typed reads of a ``*_param`` block: the written value, else the schema's default.

The schema is optional.  Without one, values are the raw decoded scalars
(``false`` stays the identifier text) and unwritten fields read as None:
the view never invents values it cannot justify.
"""
from __future__ import annotations

from typing import Optional

from ..syntax import Message, Scalar


def message_def(schema, type_name: Optional[str]):
    """The schema's MessageDef for ``type_name`` (leading dot tolerated), or None."""
    return None if schema is None or not type_name else schema.message(type_name)


def field_def(mdef, name: str):
    """FieldDef ``name`` of a MessageDef, or None (unknown field, or no schema)."""
    return None if mdef is None else mdef.field(name)


def _typed(fdef, node: Scalar, schema):
    """protobuf's value for the literal; the raw value when there is no definition or
    protobuf would refuse it (the schema check reports that, not the view)."""
    if fdef is None:
        return node.value
    from ..schema.validate import typed_value
    try:
        return typed_value(fdef, node, schema)
    except ValueError:
        return node.value


_ZERO = {"bool": False, "string": "", "bytes": "", "float": 0.0, "double": 0.0}


def _implicit_default(fdef, schema):
    """proto2's value for an unset field without ``[default = ...]``: zero, false, empty,
    or an enum's first value -- what Caffe's generated getters return."""
    if fdef.is_enum:
        enum = schema.enum(fdef.type_name.lstrip(".")) if schema is not None else None
        return next(iter(enum.values), None) if enum is not None and enum.values else None
    return _ZERO.get(fdef.type, 0)


class TypedParams:
    """A message (possibly absent) read through its schema definition (possibly absent)."""

    __slots__ = ("node", "definition", "schema")

    def __init__(self, node: Optional[Message], definition=None, schema=None):
        self.node = node
        self.definition = definition
        self.schema = schema

    def is_set(self, name: str) -> bool:
        return self.node is not None and self.node.has(name)

    def get(self, name: str, default=None):
        """Repeated (per schema) → list; singular → last written value, else schema default.

        Without a schema every field reads as singular (last value wins);
        use ``get_all`` for fields you know are repeated.
        """
        fdef = field_def(self.definition, name)
        if fdef is not None and fdef.is_repeated:
            return self.get_all(name)
        if self.is_set(name):
            return self._read(fdef, self.node.get(name).values()[-1])
        return self._default(fdef, default)

    def get_all(self, name: str) -> list:
        """Every written value of ``name`` ([] when none), flattening ``[a, b]`` lists."""
        if self.node is None:
            return []
        fdef = field_def(self.definition, name)
        return [self._read(fdef, value) for value in self.node.values(name)]

    def _read(self, fdef, value):
        if isinstance(value, Scalar):
            return _typed(fdef, value, self.schema)
        return TypedParams(value, self._nested_def(fdef), self.schema)

    def _default(self, fdef, default):
        if fdef is None:
            return default
        if fdef.is_message:
            return TypedParams(None, self._nested_def(fdef), self.schema)
        if fdef.default is not None:
            return fdef.default
        return _implicit_default(fdef, self.schema)

    def _nested_def(self, fdef):
        return message_def(self.schema, fdef.type_name) if fdef is not None else None

    def __repr__(self) -> str:
        where = f"line {self.node.line}" if self.node is not None else "absent"
        return f"TypedParams({where})"
