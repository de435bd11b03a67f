"""Compile a .proto into the light schema model, with an on-disk cache.

Why protoc: fork schemas (SSD, SegNet, DeepLab...) are real .proto files
with imports, options and odd corners; the maintained compiler shipped in
``grpcio-tools`` reads them exactly as Caffe's build did.  It runs in-process;
its diagnostics (written by C++ to file descriptor 2) are captured and turned
into a one-line ``PtxError`` with ``path:line:col``.

Regenerate the bundled default after editing schemas/caffe.proto::

    python -m prototxt_tools.schema.compile schemas/caffe.proto \\
        -o prototxt_tools/data/caffe_schema.json
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Optional

from ..errors import PtxError
from ..io import write_atomic
from .model import EnumType, FieldDef, MessageType, Schema

# FieldDescriptorProto.Type and .Label numbers (descriptor.proto), spelled as in a .proto.
TYPE_NAMES = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64",
          7: "fixed32", 8: "bool", 9: "string", 10: "group", 11: "message", 12: "bytes",
          13: "uint32", 14: "enum", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64"}
LABEL_NAMES = {1: "optional", 2: "required", 3: "repeated"}
_UNPACKABLE = ("string", "bytes", "message", "group")
_DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")


def compile_schema(path, use_cache: bool = True) -> Schema:
    """The schema of the .proto at ``path``, from the cache when its content was seen before."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise PtxError(f"cannot read schema: {exc.strerror}", str(path)) from None
    cache_file = cache_dir() / (hashlib.sha256(content).hexdigest() + ".json")
    if use_cache:
        cached = _read_cache(cache_file)
        if cached is not None:
            return cached
    schema = schema_from_descriptor_set(run_protoc(path), source=path.name)
    if use_cache:
        _write_cache(cache_file, schema.dumps())
    return schema


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ptx" / "schemas"


def _read_cache(cache_file: Path) -> Optional[Schema]:
    """The cached schema, or None when absent or unreadable (then it is rebuilt)."""
    try:
        return Schema.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(target: Path, text: str) -> None:
    """Write atomically (``io.write_atomic``), so readers never see half a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(target), text)
    except (OSError, PtxError):
        pass  # a read-only cache only costs speed


def run_protoc(path) -> "object":
    """Compile ``path`` with grpc_tools' protoc; a FileDescriptorSet (imports included)."""
    from google.protobuf import descriptor_pb2
    from grpc_tools import protoc

    real = Path(os.path.realpath(str(path)))
    bundled = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    with tempfile.TemporaryDirectory(prefix="ptx-protoc-") as tmp:
        out = os.path.join(tmp, "set.desc")
        args = ["protoc", f"-I{real.parent}", f"-I{bundled}", f"--descriptor_set_out={out}",
                "--include_imports", str(real)]
        status, stderr = _call_capturing_stderr(protoc.main, args)
        if status != 0 or not os.path.exists(out):
            raise _protoc_error(stderr, path, real)
        with open(out, "rb") as fh:
            return descriptor_pb2.FileDescriptorSet.FromString(fh.read())


def _call_capturing_stderr(func, args) -> tuple:
    """Run ``func(args)`` with file descriptor 2 redirected to a temporary file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            status = func(args)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        return status, capture.read().decode("utf-8", "replace")


def _protoc_error(stderr: str, path, real: Path) -> PtxError:
    """The first error protoc printed, located in the user's terms."""
    lines = [ln for ln in stderr.splitlines() if ln.strip() and "warning:" not in ln]
    for line in lines:
        m = _DIAGNOSTIC.match(line)
        if m:
            where = m.group("file")
            shown = str(path) if where == real.name else str(real.parent / where)
            return PtxError(f"schema: {m.group('msg')}", shown,
                            int(m.group("line")), int(m.group("col")))
    detail = lines[0] if lines else "protoc failed without a message"
    return PtxError(f"schema: {detail}", str(path))


def schema_from_descriptor_set(descriptor_set, source: str = "") -> Schema:
    """Convert a FileDescriptorSet into the light model (every file, nested types flattened)."""
    messages: "OrderedDict[str, MessageType]" = OrderedDict()
    enums: "OrderedDict[str, EnumType]" = OrderedDict()
    packages = {}
    for file in descriptor_set.file:
        prefix = file.package + "." if file.package else ""
        proto3 = file.syntax == "proto3"
        for enum in file.enum_type:
            _add_enum(enum, prefix, file.package, enums, packages)
        for message in file.message_type:
            _add_message(message, prefix, file.package, proto3, (messages, enums, packages))
    return Schema(messages, enums, packages, source)


def _add_enum(enum, prefix: str, package: str, enums: dict, packages: dict) -> None:
    name = prefix + enum.name
    enums[name] = EnumType(name, OrderedDict((v.name, v.number) for v in enum.value))
    packages[name] = package


def _add_message(message, prefix: str, package: str, proto3: bool, into: tuple) -> None:
    messages, enums, packages = into
    name = prefix + message.name
    fields = OrderedDict((f.name, _field_def(f, proto3)) for f in message.field)
    messages[name] = MessageType(name, fields)
    packages[name] = package
    for enum in message.enum_type:
        _add_enum(enum, name + ".", package, enums, packages)
    for nested in message.nested_type:
        _add_message(nested, name + ".", package, proto3, into)


def _field_def(field, proto3: bool) -> FieldDef:
    type_ = TYPE_NAMES[field.type]
    label = LABEL_NAMES[field.label]
    if field.options.HasField("packed"):
        packed = field.options.packed
    else:
        packed = proto3 and label == "repeated" and type_ not in _UNPACKABLE
    default = _default_value(type_, field.default_value) if field.HasField("default_value") \
        else None
    return FieldDef(field.name, field.number, label, type_, field.type_name.lstrip("."),
                    default, bool(packed))


def _default_value(type_: str, text: str):
    """The python value of a declared default (descriptor keeps it as text)."""
    if type_ in ("double", "float"):
        return float(text)
    if type_ == "bool":
        return text == "true"
    if type_ in ("string", "bytes", "enum"):
        return text
    return int(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prototxt_tools.schema.compile",
                                     description="Compile a .proto into ptx's schema JSON.")
    parser.add_argument("proto")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    try:
        text = compile_schema(args.proto, use_cache=False).dumps()
    except PtxError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
