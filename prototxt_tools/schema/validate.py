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

import re
from typing import Dict, List, Optional

from ..errors import PtxError
from ..problems import Problem
from ..syntax.cst import Field, ListValue, Message, Node, Scalar
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
    walker.message(message_node, message_type,
                   walker.plans_of(message_type) if walker.share_plans else None)
    return walker.problems


def typed_value(field_def: FieldDef, scalar_node, schema: Optional[Schema] = None):
    """The python value protobuf stores for ``scalar_node`` in ``field_def``.

    Floats are the literal's value (``-inf`` gives ``float('-inf')``), bools are
    bools, enums are value names (numbers mapped to names when ``schema`` is
    given).  Raises ``ValueError`` (``values.BadValue``) when protobuf would refuse.
    """
    enum_type = schema.enum(field_def.type_name) if schema and field_def.is_enum else None
    return scalar_value(field_def, scalar_node, enum_type)


# What an unknown-field or unknown-enum-value finding is about, read back from the
# message written below (and in values.py): the fork catalogue matches on it.
_SUBJECT = re.compile(r'^(?:Message type "(?P<scope>[\w.]+)" has no field named "(?P<field>\w+)"'
                      r'|Enum type "(?P<enum>[\w.]+)" has no value named (?P<value>\w+)\.)')


def finding_subject(problem: Problem) -> Optional[str]:
    """``caffe.LayerParameter.bn_param`` for a PTX002 finding, ``caffe.Enum.VALUE`` for a
    PTX003 one; None for any other finding."""
    match = _SUBJECT.match(problem.message) if problem.code in ("PTX002", "PTX003") else None
    if match is None:
        return None
    if match.group("scope"):
        return f"{match.group('scope')}.{match.group('field')}"
    return f"{match.group('enum')}.{match.group('value')}"


_UNKNOWN = None  # plan of a field the message type does not have
_QUOTES = "\"'"


class _Plan:
    """What checking one (message type, field name) needs, looked up once per walk.

    The corpus repeats the same few hundred field names tens of thousands of
    times; resolving the field, its nested type and its enum per occurrence
    cost more than the checks themselves.

    ``seen_in`` is the message where a non-repeated field last occurred: seeing
    it again with the same message is PTX005, with no set of names per message.
    That needs one message of a type at a time to use the type's plans, which
    holds unless a type can hold itself; the walk of such a schema gives every
    message plans of its own (``nested_plans`` None).
    """

    __slots__ = ("field_def", "repeated", "is_message", "is_string", "nested", "nested_plans",
                 "enum_type", "valid", "seen_in")

    def __init__(self, field_def: FieldDef, walker: "_Walker"):
        # FieldDef's is_repeated/is_message/is_enum, spelt out: about 5000 plans are
        # made over the corpus, and the property calls were a sizeable share of that.
        kind, type_name = field_def.type, field_def.type_name
        self.field_def = field_def
        self.repeated = field_def.label == "repeated"
        self.is_message = kind == "message" or kind == "group"
        self.is_string = kind == "string" or kind == "bytes"
        self.nested = self.nested_plans = self.enum_type = None
        if self.is_message:
            self.nested = walker.schema.message(type_name)
            if self.nested is not None and walker.share_plans:
                self.nested_plans = walker.plans_of(self.nested)
        elif kind == "enum":
            self.enum_type = walker.schema.enum(type_name)
        # Whether a one-lexeme value is valid depends on the field's type and that text
        # only, so the plans of fields of one type share the lexemes already accepted.
        self.valid: set = walker.valid_set(kind, type_name)
        self.seen_in: Optional[Message] = None


class _Walker:
    """One walk over one tree: its findings, and the plans and valid values it learnt."""

    def __init__(self, schema: Schema, path: str):
        self.schema = schema
        self.path = path
        self.problems: List[Problem] = []
        self.plans: Dict[MessageType, Dict[str, Optional[_Plan]]] = {}
        self.valid_sets: Dict[tuple, set] = {}  # (type, type_name) -> lexemes accepted
        self.share_plans = not schema.is_recursive()  # see _Plan.seen_in

    def report(self, node: Node, code: str, message: str, end: Optional[tuple] = None) -> None:
        self.problems.append(Problem.at(self.path, node, code, CODE_NAMES[code], message,
                                        end=end))

    def plans_of(self, message_type: MessageType) -> Dict[str, Optional[_Plan]]:
        """Field name -> plan for ``message_type``, filled as names occur."""
        plans = self.plans.get(message_type)
        if plans is None:
            plans = self.plans[message_type] = {}
        return plans

    def valid_set(self, kind: str, type_name: str) -> set:
        valid = self.valid_sets.get((kind, type_name))
        if valid is None:
            valid = self.valid_sets[kind, type_name] = set()
        return valid

    def plan(self, message_type: MessageType, name: str) -> Optional[_Plan]:
        field_def = message_type.field(name)
        return _UNKNOWN if field_def is None else _Plan(field_def, self)

    def message(self, node: Message, message_type: MessageType, plans: dict) -> None:
        """Every field of ``node`` (``plans`` are those of ``message_type``, or None), in order.

        The hot loop of the walk (about 110k fields in the corpus): a scalar
        whose lexeme was already accepted for its field type and a block of a
        known message type are handled here, without a call; everything
        else goes to the methods below.
        """
        if plans is None:  # a schema whose types can nest in themselves: see _Plan.seen_in
            plans = {}
        for field in node.fields:
            name = field.name
            try:
                plan = plans[name]
            except KeyError:  # the first occurrence of the name this walk
                plan = plans[name] = self.plan(message_type, name)
            if plan is None:
                self.unknown_field(field, message_type)
                continue
            if not plan.repeated:
                if plan.seen_in is node:
                    self.repeated_singular(field, node)
                plan.seen_in = node
            value = field.value
            kind = type(value)
            if kind is Scalar:
                text = value.text
                if text in plan.valid and value.first == value.last:
                    pass
                elif plan.is_string and text[0] in _QUOTES and "\\" not in text \
                        and value.first == value.last:
                    plan.valid.add(text)  # one literal without escapes: nothing to decode
                else:
                    self.scalar(value, plan)
            elif kind is Message and plan.nested is not None:
                self.message(value, plan.nested, plan.nested_plans)
            elif kind is Message:
                self.block(value, plan)
            else:
                self.list_value(field, value, plan)

    def unknown_field(self, field: Field, message_type: MessageType) -> None:
        hint = did_you_mean(field.name, message_type.fields)
        end = field.stream.index.position(field.name_end)
        self.report(field, "PTX002", f'Message type "{message_type.name}" has no field named '
                                     f'"{field.name}".{hint}', end)

    def repeated_singular(self, field: Field, node: Message) -> None:
        first = next(f for f in node.fields if f.name == field.name)
        end = field.stream.index.position(field.name_end)
        self.report(field, "PTX005", f'Non-repeated field "{field.name}" is specified '
                                     f'multiple times (first at {first.line}:{first.col}).', end)

    def list_value(self, field: Field, value: ListValue, plan: _Plan) -> None:
        if not plan.repeated:
            self.report(value, "PTX004", f"`{field.name}` is not repeated: list syntax "
                                         f"[...] is only for repeated fields")
            return
        if not plan.is_message and field.colon < 0:
            self.report(value, "PTX004", f"`{field.name}` needs `:` before a list of values")
        valid = plan.valid
        for item in value.items:
            if type(item) is Message:
                self.block(item, plan)
            elif item.text not in valid or item.first != item.last:
                self.scalar(item, plan)

    def block(self, node: Message, plan: _Plan) -> None:
        """A ``{ ... }`` value: descended into for message fields, PTX004 for scalar ones."""
        field_def = plan.field_def
        if plan.is_message:
            if plan.nested is not None:
                self.message(node, plan.nested, plan.nested_plans)
            return
        self.report(node, "PTX004", f"`{field_def.name}` takes a single {field_def.type} "
                                    f"value, not a {{ ... }} block")

    def scalar(self, node: Scalar, plan: _Plan) -> None:
        """A scalar not known valid yet: checked, and remembered when it is one lexeme."""
        field_def = plan.field_def
        if plan.is_message:
            self.report(node, "PTX004", f"`{field_def.name}` is a message "
                                        f"({field_def.type_name}): write "
                                        f"`{field_def.name} {{ ... }}`, found `{node.raw}`")
            return
        try:
            scalar_value(field_def, node, plan.enum_type)
        except BadValue as bad:
            self.report(node, bad.code, str(bad))
            return
        if node.first == node.last:
            plan.valid.add(node.text)
