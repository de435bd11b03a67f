"""Saying what could not be verified: heads whose full shapes are unknown.

Below a Python or fork data layer ptx knows channels but not sizes; the edit's
check then covers what known dimensions settle (``shapes.partial``) and no more.
The note names the layers whose shapes stayed unknown, why (the first layer whose
outputs ptx cannot size), and what would settle it.
"""
from __future__ import annotations

from typing import Dict, Optional


def unverified_note(ptx_file, heads: Dict[str, str]) -> Optional[str]:
    """One note for the heads (old name -> name after the edit) whose shapes are unknown in
    some state of ``ptx_file`` (the net before the edit), or None."""
    from ..lint.states import states_for
    from ..shapes import infer_shapes
    unknown, causes = [], []
    for state in states_for(ptx_file.net):     # the phases the net is fed in, as lint builds it
        result = infer_shapes(ptx_file.state_graph(state))
        for entry in result.layers:
            if entry.layer.name in heads and entry.status != "ok" and entry.tops:
                if heads[entry.layer.name] not in unknown:
                    unknown.append(heads[entry.layer.name])
                cause = _cause(result, entry.layer)
                if cause is not None and cause not in causes:
                    causes.append(cause)
    if not unknown:
        return None
    shown = ", ".join(f"'{n}'" for n in unknown)
    why = "; ".join(f"'{c.name}' ({c.type}) gives {', '.join(tops)} no known size"
                    for c, tops in causes) or "a layer above them has no shape rule"
    tops = "".join(f" --input-shape {t}=N,C,H,W" for c, unsized in causes if not c.bottoms
                   for t in unsized[:1])
    return (f"shapes at {shown} are known only in part ({why}): the edit was checked on the "
            f"dimensions that are known, if any (channels, counts); `ptx check FILE{tops}` builds "
            f"it in Caffe, `ptx lint FILE{tops}` checks every size")


def _cause(result, layer):
    """The first layer above ``layer`` whose own outputs ptx cannot size, and those outputs."""
    graph = result.graph
    for above in graph.upstream(layer):
        entry = result.of(above)
        if entry is None or entry.status == "error":
            continue
        if any(t is None for t in entry.tops) and all(
                result.blobs.get(b.key) is not None for b in graph.bottom_blobs(above) if b):
            return above, tuple(top for top, shape in zip(above.tops, entry.tops) if shape is None)
    return None
