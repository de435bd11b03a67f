"""``--replace-head`` run over every corpus net: the outcome of each (or why it was
refused), the models whose files are edited together, and the summary printed per
family.  The golden cases (``cases.py``) pin 17 reviewed edits; the sweep asks the
questions of ``invariants.py`` of every net in the corpus, whatever its family,
format or fork.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import prototxt_tools
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.walk import num_output
from prototxt_tools.upgrade import upgrade_text

DETECTION = ("faster-rcnn", "r-fcn", "ssd")
# Families counting one class more than the user's N, and what it is.
EXTRA_CLASS = {**{family: "background" for family in DETECTION + ("r-cnn",)}, "ctc": "blank"}
# Why a net may be refused: each refusal must say one of these (a new kind of refusal is
# a failure until it is understood and listed here).
REFUSALS = [
    ("template", re.compile(r"is a template|template placeholder")),
    ("region proposal net", re.compile(r"is a region proposal network")),
    ("several tasks", re.compile(r"a net with several tasks")),
    ("no class scores", re.compile(r"not class scores")),
    ("no head found", re.compile(r"no head found")),
    ("empty", re.compile(r"text is empty|holds only whitespace")),
    ("one softmax class", re.compile(r"^(.*: )?error: 1 class: ")),
    ("fork classifier", re.compile(r"that ptx cannot resize")),
    ("cannot be upgraded", re.compile(r"Refusing to upgrade")),
    ("class weights Caffe reads", re.compile(r"weighs its loss by \d+ class_weighting values")),
]
_RENAMED = re.compile(r"^layer '(.+)' renamed to '(.+)' \(")
_BLOB = re.compile(r"^blob '(.+)' renamed to '(.+)' in ")
QUOTED = re.compile(r"'([^']+)'")


@dataclass
class Swept:
    """One net edited for ``n`` classes: the text edited (a V0/V1 net upgraded first), and
    the outcome or the refusal."""

    rel: str
    n: int
    source: str
    outcome: Optional[object] = None
    refusal: Optional[str] = None
    upgraded: bool = False

    @property
    def family(self) -> Optional[str]:
        if self.outcome is None or not self.outcome.changes:
            return None
        found = re.match(r"^(\S+) net: ", self.outcome.changes[0])
        return found.group(1) if found else None

    @property
    def label(self) -> str:
        """The family, or ``refused: <reason>``."""
        if self.refusal is not None:
            return f"refused: {refusal_reason(self.refusal)}"
        return self.family or "unchanged"

    @property
    def renames(self) -> Dict[str, str]:
        return dict(m.groups() for m in map(_RENAMED.match, self.outcome.changes) if m)

    @property
    def blob_renames(self) -> Dict[str, str]:
        return dict(m.groups() for m in map(_BLOB.match, self.outcome.changes) if m)


def refusal_reason(message: str) -> str:
    for label, pattern in REFUSALS:
        if pattern.search(message):
            return label
    return "unexplained"


def read(path) -> str:
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as fh:
        return fh.read()


def sweep(entry, n: int) -> Swept:
    """``replace_head`` on the corpus net ``entry`` (a V0/V1/mixed net after ``ptx upgrade``)."""
    text = read(entry.path)
    upgraded = entry.format in ("v0", "v1", "mixed")
    swept = Swept(entry.rel, n, text, upgraded=upgraded)
    try:
        if upgraded:
            swept.source = upgrade_text(text, str(entry.path)).text
        swept.outcome = prototxt_tools.edit(swept.source, [("replace_head", {"n": n})])
    except PtxError as exc:
        swept.refusal = str(exc)
    return swept


_SWEPT: Dict[tuple, Swept] = {}


def cached(entry, n: int) -> Swept:
    """``sweep`` once per net and count in a test session (the sweep, model and oracle
    tests all read it)."""
    key = (entry.rel, n)
    if key not in _SWEPT:
        _SWEPT[key] = sweep(entry, n)
    return _SWEPT[key]


def outputs_of(swept: Swept) -> Dict[str, tuple]:
    """New head name -> (its top, its output count) after the edit (heads with a
    ``num_output``): the top's axis 1 is that count when Caffe builds the net."""
    result = prototxt_tools.load(swept.outcome.text)
    out = {}
    for new in swept.renames.values():
        for layer in result.net.layer_by_name(new):
            if num_output(layer) is not None and layer.tops:
                out[new] = (layer.tops[0], num_output(layer))
    return out


@dataclass
class Summary:
    """Nets per family (or refusal reason), for the sweep's printed table."""

    rows: Dict[str, List[str]] = field(default_factory=dict)

    def add(self, swept: Swept) -> None:
        self.rows.setdefault(swept.label, []).append(f"{swept.rel} (N={swept.n})")

    def render(self) -> str:
        lines = ["replace-head sweep over the corpus nets (nets per family or refusal, per N):"]
        for label in sorted(self.rows, key=lambda k: (k.startswith("refused"), k)):
            per_n: Dict[str, int] = {}
            for row in self.rows[label]:
                n = row.rsplit("(", 1)[1].rstrip(")")
                per_n[n] = per_n.get(n, 0) + 1
            lines.append(f"  {label:36} " + ", ".join(f"{k}: {v}" for k, v in per_n.items()))
        for label in sorted(self.rows, key=lambda k: (k.startswith("refused"), k)):
            if label != "classification":    # (the many plain classifiers are not listed)
                lines.append(f"{label}:")
                lines += [f"    {rel}" for rel in self.rows[label] if rel.endswith("(N=3)")
                          or label.startswith("refused")]
        return "\n".join(lines)


# -- a model's files together ---------------------------------------------------------

_ROLE = re.compile(r"(?i)(train[_-]?val|train[_-]?test|trainval|train|test|val|deploy|inference)")


def model_groups(nets, solvers) -> List[tuple]:
    """(name, [corpus net entries]) for every model with two or more net files: the nets
    a solver names, and files of one folder whose names differ only by a role word
    (``MobileNetSSD_train``/``_test``/``_deploy``, fcn's ``train``/``val``/``deploy``)."""
    import os
    from prototxt_tools.heads.model import solver_nets
    by_path = {os.path.realpath(entry.path): entry for entry in nets}
    found: List[List] = []
    for solver in solvers:
        try:
            paths = solver_nets(prototxt_tools.load(str(solver.path)))
        except PtxError:
            continue    # a net it names is not in the corpus
        found.append([by_path.get(os.path.realpath(p)) for p in paths])
    by_stem: Dict[tuple, List] = {}
    for entry in nets:     # a role word makes a group; a file without one may join it
        folder, name = os.path.split(entry.rel)
        stem = _ROLE.sub("", os.path.splitext(name)[0]).strip("_-")
        by_stem.setdefault((folder, stem), []).append(entry)
    found += [members for members in by_stem.values()
              if any(_ROLE.search(os.path.basename(m.rel)) for m in members)]
    groups: Dict[frozenset, List] = {}
    for members in found:
        if len(members) > 1 and all(members):
            groups.setdefault(frozenset(m.rel for m in members), members)
    return [(_group_name(members), members) for members in groups.values()]


def _group_name(members) -> str:
    import os
    folder = os.path.commonpath([m.rel for m in members])
    return folder + ":" + "+".join(os.path.relpath(m.rel, folder) for m in members)
