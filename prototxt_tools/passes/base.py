"""What every pass shares: its result type, layer lookup with did-you-mean, and the
net states (phase + stages) a pass must look at.

A pass is ``run(ptx_file, **params) -> EditResult``: pure (it reads the file and
returns edits against its text), and idempotent (running it on its own output
returns no edits).  Passes accept V2 nets only: V0/V1 nets go through
``ptx upgrade`` first, so every pass edits one layout.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import List, Tuple

from ..edits import TextEdit
from ..errors import PtxError
from ..net.kind import V2

TRAIN, TEST = "TRAIN", "TEST"


@dataclass
class EditResult:
    """Edits against the pass's input text, what they do (``changes``, one line each)
    and what the user should know (``notes``: caveats, not changes)."""

    edits: List[TextEdit] = field(default_factory=list)
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


def require_v2(ptx_file) -> None:
    """Passes edit V2 nets; older formats get a pointer to ``ptx upgrade``."""
    ptx_file.expect("net")
    if ptx_file.net.format != V2:
        raise PtxError(f"this is a {ptx_file.net.format.upper()} net; run `ptx upgrade` "
                       f"first (ptx edit works on the current format)", ptx_file.path)


def layers_named(ptx_file, name: str) -> list:
    """Every layer called ``name`` (TRAIN and TEST copies); PtxError with a suggestion if none."""
    found = ptx_file.net.layer_by_name(name)
    if found:
        return found
    names = {layer.name for layer in ptx_file.net.layers}
    raise PtxError(f"no layer named '{name}'{did_you_mean(name, names)}", ptx_file.path)


def did_you_mean(name: str, known) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def net_states(ptx_file) -> List[Tuple[str, Tuple[str, ...]]]:
    """(phase, stages) pairs to check: TRAIN and TEST, each also with every stage
    named in the net's include/exclude rules (one stage at a time)."""
    stages = []
    for layer in ptx_file.net.layers:
        for rule in list(layer.include) + list(layer.exclude):
            for stage in rule.stages + rule.not_stages:
                if stage not in stages:
                    stages.append(stage)
    states = [(TRAIN, ()), (TEST, ())]
    states += [(phase, (stage,)) for stage in stages for phase in (TRAIN, TEST)]
    return states


def graphs(ptx_file) -> list:
    """The graph of every state in ``net_states`` (cached by the PtxFile)."""
    return [ptx_file.graph(phase, 0, stages) for phase, stages in net_states(ptx_file)]


def parse_mults(text: str, what: str) -> List[float]:
    """``W`` or ``W,B`` → [W] or [W, B]; PtxError otherwise."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not 1 <= len(values) <= 2 or any(v < 0 for v in values):
        raise PtxError(f"{what} wants W or W,B with non-negative numbers, got {text!r}")
    return values


def split_assignment(text: str, what: str) -> Tuple[str, str]:
    """``LAYER=VALUE`` → (LAYER, VALUE); PtxError when malformed."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise PtxError(f"{what} wants NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()
