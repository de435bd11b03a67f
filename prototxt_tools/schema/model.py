"""A light, JSON-serialisable model of a protobuf schema: messages, fields, enums.

Why not protobuf's own descriptors: importing protobuf costs tens of
milliseconds and ``ptx show`` must start fast.  The bundled Caffe schema is
a JSON file read into these plain objects; protobuf is only needed to
compile a user's .proto (see ``compile.py``).
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Dict, Optional

FORMAT_VERSION = 1


class FieldDef:
    """One field of a message, as the wire and the text format see it."""

    __slots__ = ("name", "number", "label", "type", "type_name", "default", "packed")

    def __init__(self, name: str, number: int, label: str, type: str, type_name: str = "",
                 default=None, packed: bool = False):
        self.name = name
        self.number = number
        self.label = label          # 'optional' | 'required' | 'repeated'
        self.type = type            # scalar type name, 'enum', 'message' (or 'group')
        self.type_name = type_name  # full name of the enum/message type, else ''
        self.default = default      # python value of the declared default, or None
        self.packed = packed

    @property
    def is_repeated(self) -> bool:
        return self.label == "repeated"

    @property
    def is_message(self) -> bool:
        return self.type in ("message", "group")

    @property
    def is_enum(self) -> bool:
        return self.type == "enum"

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}

    @classmethod
    def from_json(cls, data: dict) -> "FieldDef":
        return cls(**data)

    def __eq__(self, other) -> bool:
        return isinstance(other, FieldDef) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"FieldDef({self.label} {self.type_name or self.type} {self.name} = {self.number})"


class MessageType:
    """A message: its full name (``caffe.LayerParameter``) and its fields in declaration order."""

    __slots__ = ("name", "fields")

    def __init__(self, name: str, fields: "Optional[OrderedDict[str, FieldDef]]" = None):
        self.name = name
        self.fields: "OrderedDict[str, FieldDef]" = fields if fields is not None else OrderedDict()

    def field(self, name: str) -> Optional[FieldDef]:
        return self.fields.get(name)

    def to_json(self) -> dict:
        return {"name": self.name, "fields": [f.to_json() for f in self.fields.values()]}

    @classmethod
    def from_json(cls, data: dict) -> "MessageType":
        fields = OrderedDict((f["name"], FieldDef.from_json(f)) for f in data["fields"])
        return cls(data["name"], fields)

    def __repr__(self) -> str:
        return f"MessageType({self.name}, {len(self.fields)} fields)"


class EnumType:
    """An enum: full name and value name -> number, in declaration order."""

    __slots__ = ("name", "values")

    def __init__(self, name: str, values: "Optional[OrderedDict[str, int]]" = None):
        self.name = name
        self.values: "OrderedDict[str, int]" = values if values is not None else OrderedDict()

    def name_of(self, number: int) -> Optional[str]:
        """The first value name declared with ``number`` (aliases share numbers)."""
        for name, value in self.values.items():
            if value == number:
                return name
        return None

    def to_json(self) -> dict:
        return {"name": self.name, "values": [[k, v] for k, v in self.values.items()]}

    @classmethod
    def from_json(cls, data: dict) -> "EnumType":
        return cls(data["name"], OrderedDict((k, v) for k, v in data["values"]))

    def __repr__(self) -> str:
        return f"EnumType({self.name}, {len(self.values)} values)"


class Schema:
    """Every message and enum of a compiled .proto (and its imports), by full name.

    ``packages`` maps each full type name to the package it was declared in,
    so that protobuf descriptors can be rebuilt from the model (tests).
    """

    def __init__(self, messages: Dict[str, MessageType], enums: Dict[str, EnumType],
                 packages: Optional[Dict[str, str]] = None, source: str = ""):
        self.messages = messages
        self.enums = enums
        self.packages = packages or {}
        self.source = source  # where the schema came from, for messages
        self._recursive: Optional[bool] = None

    def is_recursive(self) -> bool:
        """Whether some message type can hold itself, directly or deeper (computed once)."""
        if self._recursive is None:
            self._recursive = _has_cycle(self)
        return self._recursive

    def message(self, full_name: str) -> Optional[MessageType]:
        return self.messages.get(full_name.lstrip("."))

    def enum(self, full_name: str) -> Optional[EnumType]:
        return self.enums.get(full_name.lstrip("."))

    def to_json(self) -> dict:
        return {"format": FORMAT_VERSION, "source": self.source,
                "packages": self.packages,
                "messages": [m.to_json() for m in self.messages.values()],
                "enums": [e.to_json() for e in self.enums.values()]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=1, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, data: dict) -> "Schema":
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"schema JSON format {data.get('format')!r}, "
                             f"expected {FORMAT_VERSION}")
        messages = OrderedDict((m["name"], MessageType.from_json(m)) for m in data["messages"])
        enums = OrderedDict((e["name"], EnumType.from_json(e)) for e in data["enums"])
        return cls(messages, enums, data.get("packages", {}), data.get("source", ""))

    @classmethod
    def loads(cls, text: str) -> "Schema":
        return cls.from_json(json.loads(text))

    def __repr__(self) -> str:
        return f"Schema({self.source!r}, {len(self.messages)} messages, {len(self.enums)} enums)"


def _has_cycle(schema: "Schema") -> bool:
    """Depth-first search over message-typed fields for a type reached from itself."""
    state: Dict[str, int] = {}  # 1 while its fields are being followed, 2 when done

    def visit(name: str) -> bool:
        state[name] = 1
        for field in schema.messages[name].fields.values():
            nested = field.type_name.lstrip(".") if field.is_message else ""
            if nested in schema.messages:
                if state.get(nested) == 1 or (nested not in state and visit(nested)):
                    return True
        state[name] = 2
        return False

    return any(name not in state and visit(name) for name in schema.messages)
