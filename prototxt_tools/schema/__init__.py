"""The schema layer: which fields, types and enum values a Caffe text file may use.

``load_schema()`` gives the bundled BVLC Caffe schema from JSON without
importing protobuf (cold start matters); ``load_schema(path)`` compiles a
fork's caffe.proto with protoc (cached).  ``validate`` checks a parsed file
against a schema; ``typed_value`` reads one value as protobuf would.
"""
from __future__ import annotations

from typing import Optional

from .bundled import BUNDLED_SCHEMA, bundled_schema
from .model import EnumType, FieldDef, MessageType, Schema


def load_schema(path=None) -> Schema:
    """The schema of the .proto at ``path``; the bundled BVLC Caffe schema when None.
    (A ``fork:NAME`` path is resolved by ``api.PtxFile`` through ``prototxt_tools.forks``.)"""
    if path is not None:
        from .compile import compile_schema
        return compile_schema(path)
    return bundled_schema()


def validate(message_node, schema: Schema, type_name: str = "caffe.NetParameter",
             path: str = "<text>") -> list:
    """Findings (PTX002-PTX005) for ``message_node`` read as ``type_name``; see validate.py."""
    from .validate import validate as _validate
    return _validate(message_node, schema, type_name, path)


def typed_value(field_def: FieldDef, scalar_node, schema: Optional[Schema] = None):
    """The python value protobuf would store for ``scalar_node`` in ``field_def``."""
    from .validate import typed_value as _typed_value
    return _typed_value(field_def, scalar_node, schema)


def descriptor_pool_for(path=None):
    """protobuf message classes for the same schema (tests, benchmarks); imports protobuf."""
    from .classes import descriptor_pool_for as _pool_for
    return _pool_for(path)


__all__ = ["EnumType", "FieldDef", "MessageType", "Schema", "BUNDLED_SCHEMA", "load_schema",
           "validate", "typed_value", "descriptor_pool_for"]
