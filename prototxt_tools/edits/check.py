"""The one checked applier: every change ptx makes to a user's file goes through here.

Passes, upgrades and lint fixes return TextEdits; ``apply_checked`` applies them,
parses the result again and compares it with the input in every state of
``graph.state.states_to_check``: a result that does not parse, or that gains a
graph error or a shape error (a layer's setup check, a shared param's shape or
multipliers; compared as (layer name, message)) in some state, is refused with one
line (PtxError, exit 2) and nothing is written.  Files that are not nets (solvers,
labelmaps) are checked for parsing only.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, List, Optional, Tuple

from ..errors import PtxError
from . import OverlappingEdits, TextEdit, apply_edits

NOTHING_WRITTEN = "nothing written"


def apply_checked(before, edits: Iterable[TextEdit], what: str = "edit",
                  step: Optional[str] = None):
    """The PtxFile of ``before.text`` with ``edits`` applied, once it is checked (see module)."""
    after = apply_parsed(before, edits, what, step)
    verify(before, after, what)
    return after


def apply_parsed(ptx_file, edits: Iterable[TextEdit], what: str = "edit",
                 step: Optional[str] = None):
    """``edits`` applied and parsed again (``reparse``), for a result checked later; edits
    that overlap are a bug in ptx, refused like a broken result."""
    return reparse(ptx_file, applied(ptx_file, edits, what, step), what, step)


def applied(ptx_file, edits: Iterable[TextEdit], what: str = "edit",
            step: Optional[str] = None) -> str:
    """The text with ``edits`` applied; PtxError (not a traceback) when they overlap."""
    try:
        return apply_edits(ptx_file.text, edits)
    except OverlappingEdits as exc:
        by = f" by {step}" if step else ""
        raise PtxError(f"{what} refused: overlapping edits{by} ({exc}; a bug in ptx); "
                       f"{NOTHING_WRITTEN}", ptx_file.path) from None


def reparse(ptx_file, text: str, what: str = "edit", step: Optional[str] = None):
    """A fresh PtxFile for ``text`` with the same path and schema; ``what`` refused if it
    does not parse (``step`` names what produced it)."""
    from ..api import PtxFile
    try:
        return PtxFile(text, ptx_file.path, ptx_file.schema_path)
    except PtxError as exc:
        noun = "net" if ptx_file.kind == "net" else "file"
        after = f"after {step} " if step else ""
        raise PtxError(f"{what} refused: {after}the {noun} no longer parses "
                       f"(line {exc.line}: {exc.message}); {NOTHING_WRITTEN}",
                       ptx_file.path) from None


def verify(before, after, what: str = "edit") -> None:
    """PtxError naming the first new graph or shape error of any net state, if there is one."""
    if before.kind != "net" or after.kind != "net":
        return
    from ..graph.state import states_to_check
    states = states_to_check(before.net)
    states += [s for s in states_to_check(after.net) if s not in states]
    for state in states:
        where = state.phase + "".join(f" stage {stage}" for stage in state.stages)
        old = _errors(before, state)
        if old is None:
            continue
        new = _errors(after, state) or []
        gained = Counter(p.code for p in new) - Counter(p.code for p in old)
        if gained:
            first = next(p for p in new if p.code in gained)
            raise PtxError(f"{what} refused: the result has a new error in {where} at line "
                           f"{first.line}: {first.message} [{first.code}]; {NOTHING_WRITTEN}",
                           after.path)
        gained_shapes = _new_shape_errors(_shape_result(before, state),
                                          _shape_result(after, state))
        if gained_shapes:
            layer, message = gained_shapes[0]
            message = message.replace("\n", " ")   # one line, Caffe's spacing kept
            raise PtxError(f"{what} refused: the result has a new shape error in {where} at "
                           f"line {_line(layer)} (layer '{layer.name}'): {message}; "
                           f"{NOTHING_WRITTEN}", after.path)


def _errors(ptx_file, state) -> Optional[list]:
    """Graph errors of one state; None when the net cannot be built at all (not judged)."""
    from ..problems import ERROR
    try:
        graph = ptx_file.state_graph(state)
    except PtxError:
        return None
    return [p for p in graph.problems if p.severity == ERROR]


def _shape_result(ptx_file, state):
    """Shape inference of one state, or None for nets it does not judge: V0/V1 nets (their
    shapes are those of their upgrade) and mixed ones (Caffe refuses them outright)."""
    from ..shapes.infer import infer_shapes
    if ptx_file.net.format != "v2":
        return None
    try:
        return infer_shapes(ptx_file.state_graph(state))
    except PtxError:
        return None


def _shape_errors(result) -> List[Tuple[object, str]]:
    """(layer, message) of every failed shape check (layer setup, shared params), in order."""
    from ..shapes.sharing import sharing_errors
    if result is None:
        return []
    found = [(e.layer, e.error.message) for e in result.errors]
    found += [(e.layer, e.message) for e in sharing_errors(result)]
    found.sort(key=lambda pair: pair[0].index)
    return found


def _new_shape_errors(before, after) -> List[Tuple[object, str]]:
    """Errors of ``after`` that ``before`` did not have, compared as (layer name, message);
    (layer position, message with layer names blanked) also counts as the same error, so
    renaming a layer (or the owner of a param it shares) keeps old errors old.  A layer
    whose shapes were unknown before (found by name, else position) is not judged: its
    error may be old but invisible until the edit gave it shapes."""
    from ..shapes.infer import ERROR as FAILED, OK
    if before is None or after is None:
        return []
    old = _shape_errors(before)
    old_names = {e.layer.name for e in before.layers}
    new_names = {e.layer.name for e in after.layers}
    seen = {(layer.name, m) for layer, m in old}
    seen |= {_positional(layer, m, old_names) for layer, m in old}
    by_name = {e.layer.name: e for e in before.layers}
    by_position = {e.layer.index: e for e in before.layers}
    gained = []
    for layer, message in _shape_errors(after):
        if (layer.name, message) in seen or _positional(layer, message, new_names) in seen:
            continue
        prior = by_name.get(layer.name) or by_position.get(layer.index)
        if prior is not None and prior.status not in (OK, FAILED) and not prior.checked:
            continue   # (``checked``: its known dimensions passed before: judged from them)
        gained.append((layer, message))
    return gained


def _positional(layer, message: str, names) -> Tuple[int, str]:
    """The rename-proof key: position, and the message with quoted layer names blanked."""
    return layer.index, re.sub(r"'([^']*)'",
                               lambda m: "'<layer>'" if m.group(1) in names else m.group(0),
                               message)


def _line(layer) -> int:
    node = layer.body.get("name") if hasattr(layer.body, "get") else None
    node = node or layer.field or layer.node
    return node.line if node is not None else 0
