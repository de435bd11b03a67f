"""protobuf message classes for a schema, for cross-checks against protobuf's text_format.

Why two routes: for a .proto path we use protoc's own descriptors (exact);
for the bundled schema there is no .proto at run time, so descriptors are
rebuilt from the JSON model — which also proves the model loses nothing
that protobuf needs (tests compare both routes).  Imports protobuf: never
call this on a fast path.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Dict, List

from .compile import LABEL_NAMES, TYPE_NAMES
from .model import FieldDef, Schema

# The inverse of compile.py's descriptor number -> name tables.
_TYPE_NUMBERS = {name: number for number, name in TYPE_NAMES.items()}
_LABEL_NUMBERS = {name: number for number, name in LABEL_NAMES.items()}


class MessageClasses:
    """Message classes by full name, all from one private descriptor pool."""

    def __init__(self, pool):
        self.pool = pool
        self._classes: Dict[str, type] = {}

    def __getitem__(self, full_name: str) -> type:
        if full_name not in self._classes:
            from google.protobuf import message_factory
            descriptor = self.pool.FindMessageTypeByName(full_name)
            self._classes[full_name] = message_factory.GetMessageClass(descriptor)
        return self._classes[full_name]

    def parse_text(self, full_name: str, text: str):
        """``text_format.Parse`` into a new ``full_name`` message (raises its ParseError)."""
        from google.protobuf import text_format
        return text_format.Parse(text, self[full_name]())


def descriptor_pool_for(path=None) -> MessageClasses:
    """Message classes for the .proto at ``path``, or for the bundled schema when None."""
    from google.protobuf import descriptor_pool
    pool = descriptor_pool.DescriptorPool()
    if path is None:
        from .bundled import bundled_schema
        files = file_protos_from_schema(bundled_schema())
    else:
        from .compile import run_protoc
        files = list(run_protoc(path).file)
    for file_proto in files:
        pool.AddSerializedFile(file_proto.SerializeToString())
    return MessageClasses(pool)


def file_protos_from_schema(schema: Schema) -> List[object]:
    """One FileDescriptorProto per package, dependencies first."""
    from google.protobuf import descriptor_pb2
    by_package: "OrderedDict[str, object]" = OrderedDict()
    containers: Dict[str, object] = {}
    names = list(schema.messages) + list(schema.enums)
    for name in sorted(names, key=lambda n: n.count(".")):  # parents before nested types
        package = schema.packages.get(name, "")
        if package not in by_package:
            by_package[package] = descriptor_pb2.FileDescriptorProto(
                name=(package or "_root") + ".proto", package=package, syntax="proto2")
        parent_name = name.rsplit(".", 1)[0] if "." in name else ""
        parent = containers.get(parent_name, by_package[package])
        short = name.rsplit(".", 1)[-1]
        if name in schema.messages:
            containers[name] = _add_message_proto(parent, short, schema, name)
        else:
            _add_enum_proto(parent, short, schema.enums[name].values)
    _link_dependencies(schema, by_package)
    return _dependencies_first(by_package)


def _add_message_proto(parent, short: str, schema: Schema, name: str):
    proto = (parent.nested_type if hasattr(parent, "nested_type") else parent.message_type).add()
    proto.name = short
    for field in schema.messages[name].fields.values():
        _fill_field_proto(proto.field.add(), field)
    return proto


def _add_enum_proto(parent, short: str, values) -> None:
    enum = parent.enum_type.add()
    enum.name = short
    for value_name, number in values.items():
        enum.value.add(name=value_name, number=number)


def _fill_field_proto(proto, field: FieldDef) -> None:
    proto.name = field.name
    proto.number = field.number
    proto.label = _LABEL_NUMBERS[field.label]
    proto.type = _TYPE_NUMBERS[field.type]
    if field.type_name:
        proto.type_name = "." + field.type_name
    if field.default is not None:
        proto.default_value = _default_text(field)
    if field.packed:
        proto.options.packed = True


def _default_text(field: FieldDef) -> str:
    value = field.default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if abs(value) == float("inf"):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return str(value)


def _link_dependencies(schema: Schema, by_package: dict) -> None:
    for message in schema.messages.values():
        own = schema.packages.get(message.name, "")
        for field in message.fields.values():
            other = schema.packages.get(field.type_name, own) if field.type_name else own
            deps = by_package[own].dependency
            if other != own and by_package[other].name not in deps:
                deps.append(by_package[other].name)


def _dependencies_first(by_package: dict) -> list:
    by_file = {f.name: f for f in by_package.values()}
    ordered, seen = [], set()

    def visit(file_proto) -> None:
        if file_proto.name in seen:
            return
        seen.add(file_proto.name)
        for dep in file_proto.dependency:
            visit(by_file[dep])
        ordered.append(file_proto)

    for file_proto in by_package.values():
        visit(file_proto)
    return ordered
