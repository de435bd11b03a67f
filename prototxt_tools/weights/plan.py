"""A weight-surgery plan (rename, drop, keep classes): parsed from the command line and
checked against a file's layers, the same for the binary and the HDF5 writers."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from ..errors import PtxError
from .select import plan_selection
from .stored import StoredLayer


@dataclass
class SurgeryPlan:
    renames: Dict[str, str] = field(default_factory=dict)
    drops: List[str] = field(default_factory=list)
    keep: Dict[str, List[int]] = field(default_factory=dict)   # layer -> output rows kept

    @property
    def empty(self) -> bool:
        return not (self.renames or self.drops or self.keep)


@dataclass
class SurgeryReport:
    output: str
    layers: List[StoredLayer]
    changes: List[str]


def validate_plan(scan, plan: SurgeryPlan):
    """(row selections, change lines) of ``plan`` on ``scan``; PtxError for a plan naming
    missing layers or giving two layers one name."""
    names = [layer.name for layer in scan.layers]
    changes = []
    for name in list(plan.renames) + plan.drops + list(plan.keep):
        if name not in names:
            raise PtxError(f"no layer named '{name}' in the weights (layers: "
                           f"{', '.join(n for n in names[:8])}{'...' if len(names) > 8 else ''})", scan.path)
    final = [plan.renames.get(n, n) for n in names if n not in plan.drops]
    clashes = sorted({n for n in final if final.count(n) > 1} - {n for n in names if names.count(n) > 1})
    if clashes:
        raise PtxError(f"after renaming, two layers would be named '{clashes[0]}'", scan.path)
    for old, new in plan.renames.items():
        changes.append(f"renamed layer '{old}' to '{new}'")
    changes += [f"dropped layer '{name}'" for name in plan.drops]
    selections = {}
    for name, rows in plan.keep.items():
        layer = scan.layer(name)
        selections[name] = plan_selection(layer, rows, scan.path)
        changes.append(f"kept {len(rows)} of {selections[name].total} outputs of layer '{name}'")
    return selections, changes


def read_class_list(text: str, source: Optional[str] = None) -> List[int]:
    """``"3,7,11"`` or a file of integers (commas, spaces or newlines; ``#`` comments)."""
    if source is not None:
        try:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise PtxError(f"cannot read the class list: {getattr(exc, 'strerror', None) or exc}",
                           source) from None
    words = [w for line in text.splitlines() for w in line.split("#")[0].replace(",", " ").split()]
    try:
        rows = [int(w) for w in words]
    except ValueError:
        raise PtxError(f"class lists are integers (row indices), got {text.strip()[:60]!r}",
                       source) from None
    if not rows:
        raise PtxError("empty class list", source)
    return rows


def parse_plan(renames: Sequence[str], drops: Sequence[str], keeps: Sequence[str]) -> SurgeryPlan:
    """Command-line ``OLD=NEW``, ``LAYER`` and ``LAYER=i,j,k|FILE`` options -> SurgeryPlan."""
    plan = SurgeryPlan()
    for option in renames or ():
        old, sep, new = option.partition("=")
        if not sep or not old or not new:
            raise PtxError(f"--rename wants OLD=NEW, got {option!r}")
        plan.renames[old] = new
    plan.drops = list(drops or ())
    for option in keeps or ():
        name, sep, spec = option.partition("=")
        if not sep or not name or not spec:
            raise PtxError(f"--keep-classes wants LAYER=i,j,k or LAYER=FILE, got {option!r}")
        is_file = os.path.isfile(spec) and not spec.replace(",", "").strip().isdigit()
        plan.keep[name] = read_class_list(spec, spec if is_file else None)
    overlap = set(plan.drops) & (set(plan.renames) | set(plan.keep))
    if overlap:
        raise PtxError(f"layer '{sorted(overlap)[0]}' is both dropped and changed")
    return plan
