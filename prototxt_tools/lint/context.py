"""What a rule sees: one file, its views, the states it is built in, and the user's facts.

Everything is computed on first use and cached, so a rule that never asks
for graphs costs nothing, and twenty rules asking share one graph per state.
Files named by the user (label lists, mean files, weights) are read with a
size cap and never executed; a file that cannot be read is ``None``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple

from ..problems import Problem

LABELS_MAX_BYTES = 16 * 1024 * 1024


@dataclass
class LintOptions:
    """The command-line facts rules may use (``ptx lint --num-classes ...``)."""

    root: str = "."
    num_classes: Optional[int] = None
    labels: Optional[str] = None
    weights: Optional[str] = None
    schema: Optional[str] = None
    fork: Optional[str] = None        # ``--fork NAME``: a catalogued fork (schema ``fork:NAME``)
    named_files: Tuple[str, ...] = () # files named on the command line (a model's files together)
    # ``--input-shape NAME=N,C,H,W``: blob (or data layer) name -> shape, for the shape rules
    input_shapes: Dict[str, Tuple[int, ...]] = field(default_factory=dict)
    _scans: Optional[list] = field(default=None, init=False, repr=False, compare=False)

    def weight_scans(self) -> list:
        """The scans of the ``--weights`` files ([] without), read once for the whole run
        however many files and rules ask; PtxError (one line) when one cannot be read."""
        if self._scans is None:
            paths = [p for p in (self.weights or "").split(",") if p]
            if not paths:
                return []
            from ..weights import scan_caffemodel  # only then: it costs start-up time
            self._scans = [scan_caffemodel(path) for path in paths]
        return self._scans


@dataclass
class NetRole:
    """How a solver uses the net being linted: ``train`` or ``test`` and the
    ``train_state``/``test_state`` node to merge (solver.cpp)."""

    role: str
    solver_path: str
    state_node: object = None


@dataclass
class LintContext:
    """One file under lint.  ``ptx_file`` is None when the file does not parse."""

    path: str
    text: str
    ptx_file: object = None
    parse_error: Optional[Problem] = None
    options: LintOptions = field(default_factory=LintOptions)
    role: Optional[NetRole] = None
    net: object = None                # set for a solver's inline net_param
    rule: object = None               # the rule module being run (set by the runner)
    config_roots: Dict[str, str] = field(default_factory=dict)  # config ``roots``: glob -> folder
    config_deploy: Dict[str, str] = field(default_factory=dict)  # config ``deploy``: glob -> net
    extra_types: Tuple[str, ...] = ()  # unknown-layer-type's ``extra-types``: this build has them
    _cache: Dict[str, object] = field(default_factory=dict)

    # --- reporting ---------------------------------------------------------
    def report(self, node, message: str, fix=None, severity: Optional[str] = None,
               end_node=None) -> Problem:
        """A Problem of the current rule at ``node`` (a CST node or a (line, col) pair, which
        has no end); spans come from ``Problem.at`` like every other finding's."""
        code, name, severity = self.rule.CODE, self.rule.NAME, severity or self.rule.SEVERITY
        if isinstance(node, tuple):
            return Problem(self.path, *node, code, name, message, severity, fix=fix)
        end = end_node.end_position if end_node is not None else None
        problem = Problem.at(self.path, node, code, name, message, severity, end)
        return problem if fix is None else replace(problem, fix=fix)

    # --- what the file is ----------------------------------------------------
    @property
    def kind(self) -> Optional[str]:
        return None if self.ptx_file is None else self.ptx_file.kind

    @property
    def the_net(self):
        """The Net view when this file is a net (or a solver's inline net), else None."""
        if self.net is not None:
            return self.net
        if self.kind != "net":
            return None
        return self.ptx_file.net

    @property
    def solver(self):
        """The Solver view (None for nets and for a solver's inline net, linted as a net)."""
        return self.ptx_file.solver if self.kind == "solver" and self.net is None else None

    def graphs(self) -> List[Tuple[object, object]]:
        """(NetState, NetGraph) for every state the net is built in; see ``lint.states``."""
        if "graphs" not in self._cache:
            from .states import graphs_for
            self._cache["graphs"] = graphs_for(self) if self.the_net is not None else []
        return self._cache["graphs"]

    def graph(self, phase: str):
        """The first graph of ``phase``, or None."""
        return next((g for s, g in self.graphs() if s.phase == phase), None)

    # --- the user's facts ------------------------------------------------------
    def resolve(self, path: str) -> str:
        """A path from a file, resolved the way ``caffe`` does, against its working folder:
        the first root (``--root``, config roots, the solver's or net's folder, the
        repository root; see ``roots.py``) where it exists, else against ``--root``."""
        from .roots import locate
        found = locate(self, path)
        if found is not None:
            return found[0]
        return path if os.path.isabs(path) else os.path.join(self.options.root, path)

    def label_list(self, path: Optional[str]) -> Optional[List[int]]:
        """The integer labels of an ImageData-style list (``file label`` per line), or None."""
        if not path:
            return None
        key = "labels:" + path
        if key not in self._cache:
            from .labels import read_label_list
            self._cache[key] = read_label_list(path, LABELS_MAX_BYTES)
        return self._cache[key]

    def weight_layers(self):
        """Layers stored in ``--weights`` (name, type, blob shapes), or None without weights.
        ``a.caffemodel,b.caffemodel`` gives the layers of both, as Caffe's ``-weights`` loads
        each in turn.  The hook for weight-aware rules; reading is the caffemodel reader's job."""
        if not self.options.weights:
            return None
        from ..errors import PtxError
        try:
            return [layer for scan in self.options.weight_scans() for layer in scan.layers]
        except PtxError:
            return None

    def load_referenced(self, path: str):
        """A net file a solver names, resolved as ``resolve`` does; None when unreadable."""
        key = "ref:" + path
        if key not in self._cache:
            from ..api import load
            from ..errors import PtxError
            try:
                self._cache[key] = load(self.resolve(path), schema=self.options.schema)
            except PtxError:
                self._cache[key] = None
        return self._cache[key]

    @property
    def fine_tuning(self) -> bool:
        """Weights are given on the command line or in the solver (``weights:``)."""
        if self.options.weights:
            return True
        return self.kind == "solver" and bool(self.ptx_file.doc.scalars("weights"))
