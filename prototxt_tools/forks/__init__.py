"""Well-known Caffe forks, as data: their layer types, their fields, and bundled schemas.

About 40% of real nets use a fork's layers or fields.  Reporting each use as an
unknown type or field buried real problems (232 findings for one PSPNet file),
and suggested upstream names for fork types.  The catalogue names the fork instead:
``forks.tsv`` lists the forks, ``catalogue.tsv`` their layer types (and the fields of
forks without a facts table), and ``facts/NAME.tsv`` what a fork's caffe.proto adds
to upstream's, as facts (field names, numbers, labels, types, defaults; written by
``tools/fork_facts.py``).  ``schema(name)`` is upstream's schema with those facts
merged in, the schema ``ptx lint --fork NAME`` lints with; ``schemas/forks/NAME.proto``
is the same schema as a .proto (``tools/gen_caffe_proto.py --fork NAME``).
"""
from __future__ import annotations

import copy
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, List, Optional

HERE = Path(__file__).resolve().parent
FACTS = HERE / "facts"
PREFIX = "fork:"  # a schema path ``fork:ssd``: ptx's bundled schema of that fork (api.PtxFile)


@dataclass(frozen=True)
class Fork:
    """One fork: ``name`` for ``--fork``, ``title`` for messages, where it comes from, and
    the layer types and field/enum-value subjects (``caffe.LayerParameter.bn_param``)
    upstream Caffe lacks."""

    name: str
    title: str
    source: str
    layer_types: FrozenSet[str] = field(default_factory=frozenset)
    subjects: FrozenSet[str] = field(default_factory=frozenset)

    @property
    def bundled(self) -> bool:
        """Whether ptx has a schema for it (``--fork NAME``)."""
        return (FACTS / f"{self.name}.tsv").is_file()


_registry = None


def _read(path: Path) -> List[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")),
                                   delimiter="\t"))


def facts(name: str) -> List[dict]:
    """The fork's facts table rows (caffe_fields.tsv columns); [] for a fork without one."""
    path = FACTS / f"{name}.tsv"
    return _read(path) if path.is_file() else []


def _subjects_of(rows: List[dict]) -> set:
    """Fields and enum values of a facts table that upstream's messages and enums lack
    (a value the fork only renumbers is not a use of the fork)."""
    from ..schema.bundled import bundled_schema
    upstream = bundled_schema()
    found = set()
    for row in rows:
        if row["kind"] == "field":
            message = upstream.message(row["scope"])
            new = message is not None and message.field(row["name"]) is None
        else:
            enum = upstream.enum(row["scope"])
            new = enum is not None and row["name"] not in enum.values
        if new:
            found.add(f"{row['scope']}.{row['name']}")
    return found


def registry():
    """The fork registry (``registry.Registry`` of Fork records, in catalogue order), filled
    once from the catalogue data: a fork is data here, so ``add`` registers each record."""
    global _registry
    if _registry is None:
        from ..registry import Registry
        entries = _read(HERE / "catalogue.tsv")
        built = Registry("fork", [])
        for row in _read(HERE / "forks.tsv"):
            name = row["name"]
            mine = [e for e in entries if e["fork"] == name]
            subjects = {e["name"] for e in mine if e["kind"] == "field"}
            built.add(name, Fork(name, row["title"], row["source"],
                                 frozenset(e["name"] for e in mine if e["kind"] == "layer"),
                                 frozenset(subjects | _subjects_of(facts(name)))))
        _registry = built
    return _registry


def forks() -> List[Fork]:
    """Every catalogued fork, in the catalogue's order."""
    return list(registry())


def get(name: str) -> Optional[Fork]:
    return registry().get(name)


def bundled_names() -> List[str]:
    """Forks ``--fork`` accepts, in catalogue order (read without building the registry:
    command-line help lists them, and start-up must stay fast)."""
    return [row["name"] for row in _read(HERE / "forks.tsv")
            if (FACTS / f"{row['name']}.tsv").is_file()]


def schema_option(fork: Optional[str], schema: Optional[str]) -> Optional[str]:
    """The schema path ``load`` takes for ``--fork NAME`` / ``--schema PROTO`` (one of them):
    ``fork:NAME`` for a bundled fork; PtxError (exit 2) for an unknown name or both given."""
    if not fork:
        return schema
    from ..errors import PtxError
    if schema:
        raise PtxError("--fork and --schema both name a schema; give one")
    if fork not in bundled_names():
        raise PtxError(f"--fork: no bundled schema for {fork!r} "
                       f"(known: {', '.join(bundled_names())})")
    return PREFIX + fork


_schemas: dict = {}


def schema_of(path: str):
    """The bundled schema a ``fork:NAME`` schema path names (built once per name), or None
    for any other path.  ``api.PtxFile`` asks here first; the schema package never imports
    this one (forks are built on upstream's schema, not the other way round)."""
    if not (isinstance(path, str) and path.startswith(PREFIX)):
        return None
    name = path[len(PREFIX):]
    if name not in _schemas:
        _schemas[name] = schema(name)
    return _schemas[name]


def schema(name: str):
    """Upstream's schema with the fork's facts merged in: a fork field replaces the upstream
    field of its message with the same name or number (the fork's wire contract), an enum
    value likewise; new messages and enums are added.  Built in memory, no protoc."""
    from ..schema.bundled import bundled_schema
    from ..schema.model import EnumType, MessageType, Schema
    base = bundled_schema()
    merged = Schema(copy.deepcopy(base.messages), copy.deepcopy(base.enums),
                    dict(base.packages), f"ptx bundled schema of the {name} fork")
    for row in facts(name):
        if row["kind"] == "field":
            message = merged.messages.setdefault(row["scope"], MessageType(row["scope"]))
            _put(message.fields, row["name"], _field_def(row), lambda f: f.number)
        else:
            enum = merged.enums.setdefault(row["scope"], EnumType(row["scope"]))
            _put(enum.values, row["name"], int(row["number"]), lambda n: n)
        merged.packages.setdefault(row["scope"], "caffe")
    return merged


def _put(entries, name: str, value, number_of) -> None:
    """Add ``name`` -> ``value``, dropping an entry of the same name or number."""
    for old in [k for k, v in entries.items() if k == name or number_of(v) == number_of(value)]:
        del entries[old]
    entries[name] = value


def _field_def(row: dict):
    from ..schema.compile import _default_value
    from ..schema.model import FieldDef
    default = _default_value(row["type"], row["default"]) if row["default"] != "" else None
    return FieldDef(row["name"], int(row["number"]), row["label"], row["type"], row["type_name"],
                    default, "packed" in row["options"].split(","))


__all__ = ["Fork", "PREFIX", "registry", "forks", "get", "bundled_names", "schema_option",
           "schema_of", "facts", "schema"]
