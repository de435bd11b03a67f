"""The invariants every ``--replace-head`` result on a corpus net must keep (the sweep's
questions): each returns a list of problems, empty when it holds.

Changes only in the layers the edit names; the family stated; class counts that follow
the family's semantics (background, blank); no top_k above the classes; renamed heads
read by their old readers; fresh heads that learn (non-constant fillers, undecayed
bias); unverified shapes said in a note; and the same edit on the net with every name
replaced (heads come from the graph).
"""
from __future__ import annotations

import difflib
import re
from typing import Dict, List

import prototxt_tools
from prototxt_tools.heads import families
from prototxt_tools.heads.walk import num_output, readers_of

from .sweep import DETECTION, EXTRA_CLASS, QUOTED, Swept

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
    named = {name for change in swept.outcome.changes for name in QUOTED.findall(change)}
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


def no_new_findings(swept: Swept, result) -> List[str]:
    """No lint rule finds more in the edited net than in the original (linted alone)."""
    from collections import Counter

    from prototxt_tools.lint import lint_source
    before = Counter(p.code for p in lint_source(swept.source, "<sweep>"))
    after = lint_source(result.text, "<sweep>")
    gained = Counter(p.code for p in after) - before
    return [f"{p.code} after the edit: {p.message}" for p in after if p.code in gained]


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


# -- names do not matter ---------------------------------------------------------------

def anonymized(text: str) -> str:
    """The net with every layer called ``L<index>`` and every blob ``B<k>`` (tops, bottoms,
    net inputs): what the graph says and nothing the names say."""
    from prototxt_tools.edits import TextEdit, apply_edits
    ptx_file = prototxt_tools.load(text)
    blobs: Dict[str, str] = {}
    edits = []

    def blob(node) -> None:
        name = blobs.setdefault(node.value, f"B{len(blobs)}")
        edits.append(TextEdit(node.start, node.end, f'"{name}"'))

    for net_field in ptx_file.doc.fields:
        if net_field.name == "input":
            blob(net_field.value)
    for layer in ptx_file.net.layers:
        named = layer.node.get("name")
        if named is not None:
            edits.append(TextEdit(named.value.start, named.value.end, f'"L{layer.index}"'))
        for kind in ("bottom", "top"):
            for node in layer.node.values(kind):
                blob(node)
    return apply_edits(text, edits)


def unnamed(changes: List[str]) -> List[str]:
    """Change lines with the names quoted in them hidden (blob renames dropped: a head
    named like its top gets one, an anonymized head does not)."""
    return [QUOTED.sub("'?'", c) for c in changes if not c.startswith("blob ")]
