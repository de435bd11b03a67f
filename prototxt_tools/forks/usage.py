"""Which catalogued forks a file uses, and where: the facts behind one finding per fork.

A use is an unknown layer type or an unknown field/enum value (the schema check's
PTX002/PTX003 findings) that the catalogue knows.  Several forks share names
(``ROIPooling``: Faster R-CNN and R-FCN; ``BN``: SegNet and PSPNet), so uses are given
to forks greedily: the fork explaining the most distinct names of the file first, ties
in catalogue order.  The unknown-type and unknown-field rules leave these uses to the
fork rule (PTX009), so a fork net gives one finding per fork, not one per use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

from . import forks, get


@dataclass(frozen=True)
class Use:
    """One use of a fork's name: ``name`` as shown (``Permute``, ``norm_param``), the
    catalogue ``subject`` it matched, where, and what upstream Caffe says about it."""

    name: str
    subject: str
    line: int
    col: int
    caffe_says: str


def _all_types() -> frozenset:
    return frozenset(t for fork in forks() for t in fork.layer_types)


def _all_subjects() -> frozenset:
    return frozenset(s for fork in forks() for s in fork.subjects)


def claims_type(kind: str) -> bool:
    """Whether an unknown layer type is a catalogued fork's (the fork rule reports it)."""
    return kind in _all_types()


def claims_finding(problem) -> bool:
    """Whether a PTX002/PTX003 schema finding is about a catalogued fork's field or value."""
    from ..schema.validate import finding_subject
    subject = finding_subject(problem)
    return subject is not None and subject in _all_subjects()


def _field_uses(context) -> List[Use]:
    from ..rules._wrap import schema_findings
    from ..schema.validate import finding_subject
    found = []
    for code in ("PTX002", "PTX003"):
        for problem in schema_findings(context, code):
            subject = finding_subject(problem)
            if subject is not None and subject in _all_subjects():
                caffe_says = problem.message.split(" Did you mean")[0]  # the hint is ours
                found.append(Use(subject.rsplit(".", 1)[1], subject, problem.line, problem.col,
                                 caffe_says))
    return found


def file_layers(context) -> list:
    """Every layer the file under lint holds: its net's, or its solver's inline nets'
    (``net_param``, ``train_net_param``, ``test_net_param``), each layer once.  The
    file-level rules see a solver's inline net only through here: its own lint context
    is the inline net's (``context.net``), which leaves file findings to the solver."""
    if context.the_net is not None:
        return list(context.the_net.layers)
    solver = context.solver
    if solver is None:
        return []
    nets = [solver.net_param, solver.train_net_param] + list(solver.test_net_param)
    layers, seen = [], set()
    for net in nets:
        for layer in (net.layers if net is not None else ()):
            if layer.node.position not in seen:
                seen.add(layer.node.position)
                layers.append(layer)
    return layers


def _type_uses(context, known_types) -> List[Use]:
    found = []
    for layer in file_layers(context):
        kind = layer.type
        if not kind or kind in known_types or not claims_type(kind):
            continue
        field = layer.body.get("type")
        node = field.value if field is not None else layer.node
        found.append(Use(kind, kind, *node.position, f"Unknown layer type: {kind}"))
    return found


def _assign(uses: List[Use]) -> Dict[str, List[Use]]:
    """Uses by fork, greedily: the fork naming most of the remaining distinct subjects first."""
    left, out = list(uses), {}
    while left:
        names = {u.subject for u in left}
        best, best_count = None, 0
        for fork in forks():
            count = len(names & (fork.layer_types | fork.subjects))
            if count > best_count:
                best, best_count = fork, count
        if best is None:
            break
        known = best.layer_types | best.subjects
        out[best.name] = sorted((u for u in left if u.subject in known),
                                key=lambda u: (u.line, u.col))
        left = [u for u in left if u.subject not in known]
    return out


def fork_uses(context, known_types=frozenset()) -> Dict[str, List[Use]]:
    """Fork name -> its uses in the file under lint (``known_types``: layer types that are
    not unknown here, e.g. the selected fork's or the ``extra-types`` option's)."""
    key = "fork-uses"
    if key not in context._cache:
        context._cache[key] = _assign(_field_uses(context) + _type_uses(context, known_types))
    return context._cache[key]


def selected(name: Optional[str]):
    """The Fork selected with ``--fork``, or None."""
    return get(name) if name else None
