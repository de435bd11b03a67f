"""``--replace-head`` run over every corpus net, and the invariants any result must keep.

The golden cases (``cases.py``) pin 17 reviewed edits; this sweep asks the same
questions of every net in the corpus, whatever its family, format or fork: the
edit succeeds or refuses in one line that says why; it changes only the lines of
the layers it names (and the readers of a renamed blob); the class-count places
agree afterwards (PTX309's census); a renamed head is read by the layers that
read it before; the family is stated and the counts follow its semantics
(background added for detection); no Accuracy keeps a top_k above the classes;
a new head has non-constant fillers and a bias without decay; and a head whose
shapes ptx could not infer is named in a note.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

import prototxt_tools
from prototxt_tools.errors import PtxError
from prototxt_tools.heads import families
from prototxt_tools.heads.walk import num_output, readers_of
from prototxt_tools.upgrade import upgrade_text

DETECTION = ("faster-rcnn", "r-fcn", "ssd")
# Families counting one class more than the user's N, and what it is.
EXTRA_CLASS = {**{family: "background" for family in DETECTION}, "ctc": "blank"}
# Why a net may be refused: each refusal must say one of these (a new kind of refusal is
# a failure until it is understood and listed here).
REFUSALS = [
    ("template", re.compile(r"is a template|template placeholder")),
    ("region proposal net", re.compile(r"is a region proposal network")),
    ("several tasks", re.compile(r"a net with several tasks")),
    ("no class scores", re.compile(r"not class scores")),
    ("no head found", re.compile(r"no head found")),
    ("empty", re.compile(r"text is empty|holds only whitespace")),
    ("cannot be upgraded", re.compile(r"Refusing to upgrade")),
    ("class weights Caffe reads", re.compile(r"weighs its loss by \d+ class_weighting values")),
]
_RENAMED = re.compile(r"^layer '(.+)' renamed to '(.+)' \(")
_BLOB = re.compile(r"^blob '(.+)' renamed to '(.+)' in ")
_QUOTED = re.compile(r"'([^']+)'")


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


# -- invariants: each returns a list of problems (empty when it holds) -------------------

def family_stated(swept: Swept) -> List[str]:
    names = {module.NAME for module in families()}
    if swept.family not in names:
        return [f"first change does not state a family: {swept.outcome.changes[:1]}"]
    return []


def local(swept: Swept, result_text: str) -> List[str]:
    """Changed lines of the source lie in layers the changes name (old or new name), in
    layers reading or writing a renamed blob, or in the net's input declarations."""
    original = prototxt_tools.load(swept.source)
    allowed = _allowed_lines(original, swept)
    a = swept.source.splitlines(keepends=True)
    b = result_text.splitlines(keepends=True)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        lines = range(i1 + 1, i2 + 1) if i2 > i1 else [i1, i1 + 1]   # an insertion: around it
        if tag != "equal" and not any(line in allowed for line in lines):
            out.append(f"line {i1 + 1} changed outside the layers the edit names: "
                       f"{a[i1] if i1 < len(a) else '<end>'!r}")
    return out


def _allowed_lines(original, swept: Swept) -> set:
    named = {name for change in swept.outcome.changes for name in _QUOTED.findall(change)}
    blobs = set(swept.blob_renames)
    allowed = set()
    for layer in original.net.layers:
        if layer.name in named or blobs & (set(layer.bottoms) | set(layer.tops)):
            allowed.update(_lines(swept.source, layer.node.start, layer.node.end))
    for net_field in original.doc.fields:
        if net_field.name in ("input", "input_shape", "input_dim"):
            allowed.update(_lines(swept.source, net_field.start, net_field.end))
    return allowed


def _lines(text: str, start: int, end: int) -> range:
    first = text.count("\n", 0, start) + 1
    return range(first, text.count("\n", 0, end) + 2)


def counts_agree(result) -> List[str]:
    """PTX309 on the result (as ``ptx lint`` runs it on a net alone)."""
    from prototxt_tools.lint import lint_source
    from prototxt_tools.lint.config import LintConfig
    problems = lint_source(result.text, "<sweep>", LintConfig(select=["PTX309"]))
    return [f"PTX309 after the edit: {p.message}" for p in problems]


def class_semantics(swept: Swept, result) -> List[str]:
    """Every new head's outputs (and every class-count setting) count N classes, plus
    background for detection (the blank for CTC): ``N``, ``(N + 1) x cells``,
    ``4 x (N + 1)``..."""
    extra = EXTRA_CLASS.get(swept.family)
    classes = swept.n + 1 if extra else swept.n
    out = []
    for old, new in swept.renames.items():
        for layer in result.net.layer_by_name(new):
            count = num_output(layer)
            if count is None:
                continue
            if count % classes or (swept.family not in DETECTION and count != classes):
                out.append(f"'{new}' has {count} outputs for {swept.n} classes "
                           f"({swept.family} counts {classes})")
    for change in swept.outcome.changes:
        setting = re.search(r"(num_classes'?|output_dim|dim\[\d+\]|alphabet_size) \d+ -> (\d+)",
                            change)
        if setting and int(setting.group(2)) != classes:
            out.append(f"{change}: not {classes}")
    if extra and not any(extra in c for c in swept.outcome.changes):
        out.append(f"a {swept.family} net's changes do not say the {extra} is counted")
    return out


def top_k(swept: Swept, result) -> List[str]:
    classes = swept.n + 1 if swept.family in EXTRA_CLASS else swept.n
    out = []
    for layer in result.net.layers:
        value = layer.typed("accuracy_param").get("top_k") if layer.type == "Accuracy" else None
        said = any(layer.name in note and "top_k" in note for note in swept.outcome.notes)
        if isinstance(value, int) and value > classes and not said:
            out.append(f"'{layer.name}' keeps top_k {value} > {classes} classes, unsaid")
    return out


def readers_kept(swept: Swept, result) -> List[str]:
    """A renamed head's outputs are read, in every state, by the layers that read the old
    head (under their own new names if they were renamed too)."""
    from prototxt_tools.passes.base import graphs
    original = prototxt_tools.load(swept.source)
    renames = swept.renames
    out = []
    for before, after in zip(graphs(original), graphs(result)):
        for old, new in renames.items():
            old_layers = [l for l in before.layers() if l.name == old]
            new_layers = [l for l in after.layers() if l.name == new]
            if len(old_layers) != len(new_layers):
                out.append(f"'{old}' is in {len(old_layers)} layer(s) of a state, "
                           f"'{new}' in {len(new_layers)}")
                continue
            for o, n in zip(old_layers, new_layers):
                was = {renames.get(r.name, r.name) for r in readers_of(before, o)}
                now = {r.name for r in readers_of(after, n)}
                if was != now:
                    out.append(f"'{new}' is read by {sorted(now)}, '{old}' was by {sorted(was)}")
    return out


def fresh_heads(swept: Swept, result) -> List[str]:
    """A learnt new head starts from random weights (not Caffe's constant 0) with an
    undecayed bias; a fixed upsampling head is bilinear with lr_mult 0; a learnt one
    (early FCN-8s's score2/score4) starts bilinear and keeps learning."""
    from prototxt_tools.net.blobs import WEIGHT_PARAM_BLOCK
    from prototxt_tools.passes.freeze import blob_count
    upsampling = {m.group(1): "learnt upsampling" in c for c in swept.outcome.changes
                  for m in [re.match(r"^'(.+)': group \d+, weight_filler bilinear", c)] if m}
    out = []
    for new in swept.renames.values():
        for layer in result.net.layer_by_name(new):
            block = WEIGHT_PARAM_BLOCK.get(layer.type)
            if block is None or num_output(layer) is None:
                continue
            filler = layer.typed(block).get("weight_filler")
            kind = filler.get("type") if filler is not None else None
            if new in upsampling:
                fixed = all(spec.lr_mult == 0 for spec in layer.params)
                if kind != "bilinear" or fixed == upsampling[new]:
                    out.append(f"'{new}': upsampling not bilinear, or its lr_mult not as said")
                continue
            if kind in (None, "constant"):
                out.append(f"'{new}': weight filler {kind or 'missing (constant 0)'}")
            if blob_count(layer) > 1:
                bias = layer.params[1] if len(layer.params) > 1 else None
                if bias is None or bias.decay_mult != 0:
                    out.append(f"'{new}': bias decay_mult is not 0")
    return out


def shapes_said(swept: Swept, result) -> List[str]:
    """Every new head's shapes are inferred in full in the states the net is fed in, or a
    note names the head as known only in part."""
    from prototxt_tools.lint.states import states_for
    from prototxt_tools.shapes import infer_shapes
    unknown = [n for n in swept.outcome.notes if "known only in part" in n]
    out = []
    news = set(swept.renames.values())
    for state in states_for(result.net):
        shapes = infer_shapes(result.state_graph(state))
        for entry in shapes.layers:
            name = entry.layer.name
            if name in news and entry.status != "ok" and not any(f"'{name}'" in n for n in unknown):
                out.append(f"'{name}' has unknown shapes ({entry.status}) and no note says so")
    return out


INVARIANTS = (class_semantics, top_k, readers_kept, fresh_heads, shapes_said)


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
            lines.append(f"  {label:32} " + ", ".join(f"{k}: {v}" for k, v in per_n.items()))
        for label in sorted(k for k in self.rows if k.startswith("refused")):
            lines.append(f"{label}:")
            lines += [f"    {rel}" for rel in self.rows[label]]
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
    for entry in nets:
        folder, name = os.path.split(entry.rel)
        stem = _ROLE.sub("", os.path.splitext(name)[0])
        if stem != os.path.splitext(name)[0]:
            by_stem.setdefault((folder, stem), []).append(entry)
    found += list(by_stem.values())
    groups: Dict[frozenset, List] = {}
    for members in found:
        if len(members) > 1 and all(members):
            groups.setdefault(frozenset(m.rel for m in members), members)
    return [(_group_name(members), members) for members in groups.values()]


def _group_name(members) -> str:
    import os
    folder = os.path.commonpath([m.rel for m in members])
    return folder + ":" + "+".join(os.path.relpath(m.rel, folder) for m in members)
