"""The schema ptx bundles (BVLC Caffe's caffe.proto as JSON): read once, without protobuf.

Its own module so that what builds on it (a fork's merged schema, protobuf classes)
depends on it alone, not on ``load_schema``, which dispatches to those builders.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .model import Schema

BUNDLED_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "caffe_schema.json"
_bundled: Optional[Schema] = None


def bundled_schema() -> Schema:
    """The bundled upstream schema (parsed on first use, then shared)."""
    global _bundled
    if _bundled is None:
        _bundled = Schema.loads(BUNDLED_SCHEMA.read_text(encoding="utf-8"))
    return _bundled
