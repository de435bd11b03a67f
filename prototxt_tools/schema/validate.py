"""Check a parsed text file against a schema, finding what protobuf's parser would refuse.

Why a walk of our own instead of asking protobuf: protobuf stops at the
first error and knows nothing of our tree, while users need every problem,
each at its exact line:col, and the rest of the file still checked.  The
findings mirror text_format's refusals (the corpus tests hold us to that):
unknown fields (PTX002, not descended into), unknown enum values (PTX003),
values of the wrong type or out of range (PTX004) and a non-repeated field
given twice (PTX005).  Messages quote protobuf's where it has one.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..errors import PtxError
from ..problems import ERROR, Problem
from ..syntax.cst import Field, ListValue, Message, Node
from .model import FieldDef, MessageType, Schema
from .values import BadValue, did_you_mean, scalar_value

CODE_NAMES = {"PTX002": "unknown-field", "PTX003": "unknown-enum-value",
              "PTX004": "wrong-value-type", "PTX005": "repeated-singular-field"}


def validate(message_node: Message, schema: Schema, type_name: str = "caffe.NetParameter",
             path: str = "<text>") -> List[Problem]:
    """Every schema finding in ``message_node`` read as a ``type_name`` message."""
    message_type = schema.message(type_name)
    if message_type is None:
        raise PtxError(f"the schema has no message type {type_name}", path)
    walker = _Walker(schema, path)
    walker.message(message_node, message_type)
    return walker.problems


def typed_value(field_def: FieldDef, scalar_node, schema: Optional[Schema] = None):
    """The python value protobuf stores for ``scalar_node`` in ``field_def``.

    Floats are the literal's value (``-inf`` gives ``float('-inf')``), bools are
    bools, enums are value names (numbers mapped to names when ``schema`` is
    given).  Raises ``ValueError`` (``values.BadValue``) when protobuf would refuse.
    """
    enum_type = schema.enum(field_def.type_name) if schema and field_def.is_enum else None
    return scalar_value(field_def, scalar_node, enum_type)


class _Walker:
    def __init__(self, schema: Schema, path: str):
        self.schema = schema
        self.path = path
        self.problems: List[Problem] = []

    def report(self, node: Node, code: str, message: str, end: Optional[tuple] = None) -> None:
        line, col = node.position
        end_line, end_col = end or node.end_position
        self.problems.append(Problem(self.path, line, col, code, CODE_NAMES[code], message,
                                     ERROR, end_line, end_col))

    def message(self, node: Message, message_type: MessageType) -> None:
        first_seen: Dict[str, Field] = {}
        for field in node.fields:
            field_def = message_type.field(field.name)
            if field_def is None:
                self.unknown_field(field, message_type)
                continue
            if not field_def.is_repeated:
                self.check_singular(field, first_seen)
            self.field_value(field, field_def)

    def unknown_field(self, field: Field, message_type: MessageType) -> None:
        hint = did_you_mean(field.name, message_type.fields)
        end = field.doc.index.position(field.name_end)
        self.report(field, "PTX002", f'Message type "{message_type.name}" has no field named '
                                     f'"{field.name}".{hint}', end)

    def check_singular(self, field: Field, first_seen: Dict[str, Field]) -> None:
        first = first_seen.setdefault(field.name, field)
        if first is not field:
            end = field.doc.index.position(field.name_end)
            self.report(field, "PTX005", f'Non-repeated field "{field.name}" is specified '
                                         f'multiple times (first at {first.line}:{first.col}).',
                        end)

    def field_value(self, field: Field, field_def: FieldDef) -> None:
        value = field.value
        if not isinstance(value, ListValue):
            self.item(value, field_def)
            return
        if not field_def.is_repeated:
            self.report(value, "PTX004", f"`{field.name}` is not repeated: list syntax "
                                         f"[...] is only for repeated fields")
            return
        if not field_def.is_message and field.colon < 0:
            self.report(value, "PTX004", f"`{field.name}` needs `:` before a list of values")
        for item in value.items:
            self.item(item, field_def)

    def item(self, node: Node, field_def: FieldDef) -> None:
        if field_def.is_message:
            if isinstance(node, Message):
                nested = self.schema.message(field_def.type_name)
                if nested is not None:
                    self.message(node, nested)
            else:
                self.report(node, "PTX004", f"`{field_def.name}` is a message "
                                            f"({field_def.type_name}): write "
                                            f"`{field_def.name} {{ ... }}`, found `{node.raw}`")
            return
        if isinstance(node, Message):
            self.report(node, "PTX004", f"`{field_def.name}` takes a single {field_def.type} "
                                        f"value, not a {{ ... }} block")
            return
        enum_type = self.schema.enum(field_def.type_name) if field_def.is_enum else None
        try:
            scalar_value(field_def, node, enum_type)
        except BadValue as bad:
            self.report(node, bad.code, str(bad))
