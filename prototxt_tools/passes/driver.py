"""Apply passes in order and refuse any result that is worse than the input.

Each pass runs on the re-parsed result of the previous one.  At the end the
result is parsed again and its graph built in every net state (TRAIN, TEST, and
each with the stages the include/exclude rules name): if it does not parse, or a
state gains graph errors or shape errors (a layer's setup check, a shared param's
shape or multipliers; compared as (layer name, message)) it did not have, the edit
is refused with the reason (PtxError, exit 2), so nothing is ever written from a
broken result.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Tuple, Union

from ..api import PtxFile, load
from ..edits import apply_edits
from ..errors import PtxError
from ..problems import ERROR
from . import REGISTRY, get_pass
from .base import net_states
from .compose import reparse

PassCall = Tuple[str, dict]


@dataclass
class EditOutcome:
    """The edited ``text``, what changed (one line each) and notes for the user."""

    text: str
    original: str
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def edit(source: Union[str, PtxFile], passes: Iterable[PassCall], schema=None) -> EditOutcome:
    """Run ``passes`` (``[("replace_head", {"n": 20, "name": "fc8_flickr"}), ...]``) on a
    path, prototxt text or PtxFile; PtxError when a pass refuses or the result is broken."""
    original = source if isinstance(source, PtxFile) else load(source, schema)
    current = original
    outcome = EditOutcome(original.text, original.text)
    for name, params in passes:
        if name not in REGISTRY:
            raise PtxError(f"unknown edit pass '{name}' (known: {', '.join(REGISTRY)})")
        result = get_pass(name)(current, **params)
        outcome.changes += result.changes
        outcome.notes += [n for n in result.notes if n not in outcome.notes]
        if result.edits:
            current = _reparse(current, apply_edits(current.text, result.edits), name)
    if current is not original:
        verify(original, current)
    outcome.text = current.text
    return outcome


def _reparse(ptx_file: PtxFile, text: str, pass_name: str) -> PtxFile:
    try:
        return reparse(ptx_file, text)
    except PtxError as exc:
        raise PtxError(f"edit refused: after '{pass_name}' the net no longer parses "
                       f"(line {exc.line}: {exc.message}); nothing written",
                       ptx_file.path) from None


def verify(before: PtxFile, after: PtxFile) -> None:
    """PtxError naming the first new graph or shape error of any net state, if there is one."""
    states: List[Tuple[str, Sequence[str]]] = list(net_states(before))
    states += [s for s in net_states(after) if s not in states]
    for phase, stages in states:
        old = _errors(before, phase, stages)
        new = _errors(after, phase, stages)
        gained = Counter(p.code for p in new) - Counter(p.code for p in old)
        if gained:
            first = next(p for p in new if p.code in gained)
            where = phase + (f" stage {stages[0]}" if stages else "")
            raise PtxError(f"edit refused: the result has a new error in {where} at line "
                           f"{first.line}: {first.message} [{first.code}]; nothing written",
                           after.path)
        gained_shapes = _new_shape_errors(_shape_result(before, phase, stages),
                                          _shape_result(after, phase, stages))
        if gained_shapes:
            layer, message = gained_shapes[0]
            where = phase + (f" stage {stages[0]}" if stages else "")
            message = message.replace("\n", " ")   # one line, Caffe's spacing kept
            raise PtxError(f"edit refused: the result has a new shape error in {where} at line "
                           f"{_line(layer)} (layer '{layer.name}'): {message}; nothing written",
                           after.path)


def _errors(ptx_file: PtxFile, phase: str, stages) -> list:
    return [p for p in ptx_file.graph(phase, 0, tuple(stages)).problems if p.severity == ERROR]


def _shape_result(ptx_file: PtxFile, phase: str, stages):
    """Shape inference of one state, or None for nets it cannot read."""
    from ..shapes import infer_file
    if ptx_file.net is None or ptx_file.net.format == "mixed":   # Caffe refuses these outright
        return None
    try:
        return infer_file(ptx_file, phase, 0, tuple(stages))
    except PtxError:   # e.g. a V0/V1 net whose upgrade fails: the graph checks speak for it
        return None


def _shape_errors(result) -> List[Tuple[object, str]]:
    """(layer, message) of every failed shape check (layer setup, shared params), in order."""
    from ..shapes import sharing_errors
    if result is None:
        return []
    found = [(e.layer, e.error.message) for e in result.errors]
    found += [(e.layer, e.message) for e in sharing_errors(result)]
    found.sort(key=lambda pair: pair[0].index)
    return found


def _new_shape_errors(before, after) -> List[Tuple[object, str]]:
    """Errors of ``after`` that ``before`` did not have, compared as (layer name, message);
    (layer position, message with layer names blanked) also counts as the same error, so
    renaming a layer (or the owner of a param it shares) keeps old errors old.  A layer whose shapes were unknown before (found by name, else position)
    is not judged: its error may be old but invisible until the edit gave it shapes."""
    from ..shapes.infer import ERROR as FAILED, OK
    if before is None or after is None:
        return []
    old = _shape_errors(before)
    old_names = {e.layer.name for e in before.layers}
    new_names = {e.layer.name for e in after.layers}
    seen = {(layer.name, m) for layer, m in old}
    seen |= {_positional(layer, m, old_names) for layer, m in old}
    by_name = {e.layer.name: e for e in before.layers}
    by_position = {_position(e.layer): e for e in before.layers}
    gained = []
    for layer, message in _shape_errors(after):
        if (layer.name, message) in seen or _positional(layer, message, new_names) in seen:
            continue
        prior = by_name.get(layer.name) or by_position.get(_position(layer))
        if prior is not None and prior.status not in (OK, FAILED):
            continue
        gained.append((layer, message))
    return gained


def _position(layer) -> int:
    return layer.index


def _positional(layer, message: str, names) -> Tuple[int, str]:
    """The rename-proof key: position, and the message with quoted layer names blanked."""
    return _position(layer), re.sub(r"'([^']*)'",
                                    lambda m: "'<layer>'" if m.group(1) in names else m.group(0),
                                    message)


def _line(layer) -> int:
    node = layer.body.get("name") if hasattr(layer.body, "get") else None
    node = node or layer.field or layer.node
    return node.line if node is not None else 0
