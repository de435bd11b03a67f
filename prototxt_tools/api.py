"""The Python API: ``load()`` returns the same object every CLI command works on.

A PtxFile holds the source text and its syntax tree (the single source of
truth) and derives everything else on demand: file kind, net format, schema
findings, the typed net/solver view and per-phase graphs.
"""
from __future__ import annotations

import os
from typing import Optional, Union

from .errors import PtxError
from .io import STDIN, STDIN_NAME, read_source
from .net.kind import LABELMAP, NET, SOLVER, file_kind, net_format
from .syntax import Document, ParseError, parse

_ROOT_TYPE = {NET: "caffe.NetParameter", SOLVER: "caffe.SolverParameter",
              LABELMAP: "caffe.LabelMap"}


class PtxFile:
    """One parsed file: ``text``, ``doc`` and lazily computed views."""

    def __init__(self, text: str, path: str, schema_path: Optional[str] = None):
        self.text = text
        self.path = path
        self.schema_path = schema_path
        try:
            self.doc: Document = parse(text)
        except ParseError as exc:
            raise PtxError(exc.message, path, exc.line, exc.col) from None
        self.kind = file_kind(self.doc)
        self._views: dict = {}

    @property
    def format(self) -> Optional[str]:
        """Net format version (v0, v1, v2, mixed), or None when this is not a net."""
        return net_format(self.doc) if self.kind == NET else None

    @property
    def schema(self):
        if "schema" not in self._views:
            from .forks import schema_of
            from .schema import load_schema
            bundled = schema_of(self.schema_path)   # ``fork:NAME`` (--fork)
            self._views["schema"] = bundled or load_schema(self.schema_path)
        return self._views["schema"]

    @property
    def problems(self) -> list:
        """Schema findings (unknown fields, bad values...), sorted by position."""
        if "problems" not in self._views:
            from .schema.validate import validate
            root = _ROOT_TYPE.get(self.kind, "caffe.NetParameter")
            if self.schema.message(root) is None:
                self._views["problems"] = []
            else:
                self._views["problems"] = sorted(validate(self.doc, self.schema, root, self.path))
        return self._views["problems"]

    @property
    def net(self):
        """The typed net view (Net); PtxError when this file is not a net."""
        if "net" not in self._views:
            self.expect(NET)
            from .net import Net
            self._views["net"] = Net(self.doc, schema=self.schema)
        return self._views["net"]

    @property
    def solver(self):
        if "solver" not in self._views:
            self.expect(SOLVER)
            from .net import Solver
            self._views["solver"] = Solver(self.doc, schema=self.schema)
        return self._views["solver"]

    def graph(self, phase: str = "TRAIN", level: int = 0, stages=()):
        """The NetGraph of this net as ``caffe.Net(file, phase, level, stages)`` sees it:
        the file's own ``state {}`` with phase and level overwritten, stages appended."""
        from .graph.state import net_state
        return self.state_graph(net_state(self.net, phase, level, tuple(stages)))

    def state_graph(self, state):
        """The NetGraph of this net in a ``graph.state.NetState`` (built once per state)."""
        key = ("graph", state)
        if key not in self._views:
            from .graph import build_graph
            self._views[key] = build_graph(self.net, state, self.path)
        return self._views[key]

    def expect(self, kind: str) -> None:
        """PtxError unless this file is of ``kind``, saying what it is instead."""
        if self.kind == kind:
            return
        raise PtxError(_wrong_kind_message(self, kind), self.path)


def _wrong_kind_message(ptx_file: PtxFile, wanted: str) -> str:
    found = ptx_file.kind
    if found == SOLVER:
        nets = [(f.name, str(f.value.raw)) for f in ptx_file.doc.fields
                if f.name in ("net", "train_net", "test_net") and hasattr(f.value, "raw")]
        hint = f" (its {nets[0][0]}: {nets[0][1]})" if nets else ""
        return f"this is a solver, not a {wanted}{hint}"
    if found == LABELMAP:
        return f"this is an SSD labelmap, not a {wanted}"
    if found == NET:
        return f"this is a net definition, not a {wanted}"
    names = ", ".join(sorted({f.name for f in ptx_file.doc.fields})[:5])
    return f"not a Caffe {wanted}: unexpected top-level fields ({names})"


def load(source: Union[str, os.PathLike], schema: Optional[str] = None) -> PtxFile:
    """Load a net, solver or labelmap from a path or from prototxt text.

    A string holding a newline or ``{``, or a ``:`` when no such path exists, is
    taken as text; ``-`` is stdin; anything else is a path.  ``schema`` is the path of a fork's caffe.proto,
    or ``fork:NAME`` for ptx's bundled schema of a catalogued fork (default: ours).
    Bad input raises PtxError, whose ``str()`` is the one-line message.
    """
    if isinstance(source, str) and not source.strip():
        # no path is empty: this is an empty text (say so, as for an empty file)
        raise PtxError("text is empty" if not source else "text holds only whitespace", "<text>")
    if isinstance(source, str) and _looks_like_text(source):
        return PtxFile(source, "<text>", schema)
    path = os.fspath(source)
    if path == STDIN:
        return PtxFile(read_source(STDIN), STDIN_NAME, schema)
    return PtxFile(read_source(path), path, schema)


def _looks_like_text(source: str) -> bool:
    return "\n" in source or "{" in source or (":" in source and not os.path.exists(source))
