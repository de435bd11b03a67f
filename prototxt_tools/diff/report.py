"""Text and JSON forms of a net diff (``ptx diff``)."""
from __future__ import annotations

from typing import List

from ..listing import short_list
from ..summary import is_boosted
from .compare import ADDED, CHANGED, REMOVED, RENAMED, SAME, LayerDiff

_MARK = {ADDED: "+", REMOVED: "-", RENAMED: ">", CHANGED: "~"}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _mults(lr) -> str:
    return ", ".join(_num(pair[0]) for pair in lr) if lr else "none"


def _lr_note(diff: LayerDiff) -> str:
    boosted = is_boosted(diff.lr_b)
    return f"lr_mult: {_mults(diff.lr_a)} -> {_mults(diff.lr_b)}" + (" (boosted)" if boosted
                                                                     else "")


def layer_lines(diff: LayerDiff) -> List[str]:
    """Heading line and indented details of one changed layer."""
    name = f"{diff.a} -> {diff.b}" if diff.status == RENAMED else (diff.b or diff.a)
    notes = []
    if diff.status == ADDED:
        notes.append(f"added at line {diff.line_b}")
    if diff.status == REMOVED:
        notes.append(f"removed (was line {diff.line_a})")
    if diff.status == RENAMED:
        notes.append("renamed")
    if diff.fresh:
        notes.append("starts from its filler" + (" (weights are copied by layer name)"
                                                 if diff.status == RENAMED else ""))
    if diff.freeze_change:
        notes.append(diff.freeze_change)
    head = f"{_MARK[diff.status]} {name} ({diff.type})" + (": " + "; ".join(notes) if notes else "")
    details = []
    if diff.type_a:
        details.append(f"type: {diff.type_a} -> {diff.type}")
    details += [f"{path}: {old if old is not None else '(unset)'} -> "
                f"{new if new is not None else '(unset)'}" for path, old, new in diff.fields]
    details += [f"{what}: {', '.join(old) or '-'} -> {', '.join(new) or '-'}"
                for what, old, new in diff.wiring]
    if diff.lr_changed:
        details.append(_lr_note(diff))
    return [head] + ["    " + d for d in details]


def summary_line(diffs: List[LayerDiff]) -> str:
    """Counts, then the layers of each kind of change; a long list shows its first and last
    few and its length (``--json`` has every layer)."""
    counts = {s: sum(d.status == s for d in diffs) for s in (ADDED, REMOVED, RENAMED, CHANGED)}
    frozen = [d.b for d in diffs if d.freeze_change == "frozen"]
    unfrozen = [d.b for d in diffs if d.freeze_change == "unfrozen"]
    fresh = [d.b for d in diffs if d.fresh]
    lr = [d.b for d in diffs if d.lr_changed]
    text = ", ".join(f"{n} {s}" for s, n in counts.items())
    return (f"summary: {text}; frozen: {short_list(frozen) or 'none'}; unfrozen: "
            f"{short_list(unfrozen) or 'none'}; lr_mult changed: {short_list(lr) or 'none'}; "
            f"starts from filler: {short_list(fresh) or 'none'}")


def text_report(path_a: str, path_b: str, diffs: List[LayerDiff], net_changes,
                notes: List[str] = ()) -> str:
    lines = [f"--- {path_a}", f"+++ {path_b}"] + [f"note: {note}" for note in notes]
    for path, old, new in net_changes:
        lines.append(f"~ net {path}: {old if old is not None else '(unset)'} -> "
                     f"{new if new is not None else '(unset)'}")
    for diff in diffs:
        if diff.status != SAME:
            lines += layer_lines(diff)
    lines.append(summary_line(diffs))
    return "\n".join(lines)


def json_report(path_a: str, path_b: str, diffs: List[LayerDiff], net_changes,
                notes: List[str] = ()) -> dict:
    return {"a": path_a, "b": path_b, "notes": list(notes),
            "net": [{"field": f, "a": x, "b": y} for f, x, y in net_changes],
            "layers": [d.as_dict() for d in diffs],
            "different": any(d.status != SAME for d in diffs) or bool(net_changes)}
