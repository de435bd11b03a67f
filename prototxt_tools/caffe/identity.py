"""Which Caffe answered: upstream BVLC or a fork, told by the layer types the build registers.

ptx's reference is upstream BVLC Caffe (tools/build-caffe.sh builds it).  Many users run a
fork (SSD, R-FCN, SegNet...), whose checks and layers differ: ``ptx check`` says which one gave
its verdict, from ``caffe.layer_type_list()`` compared with upstream's registered types.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, List, Optional

_TYPES_FILE = Path(__file__).resolve().parent.parent / "data" / "bvlc_layer_types.txt"
# Upstream types a build may leave out without being a fork (they need OpenCV).
OPTIONAL_UPSTREAM = frozenset(("ImageData", "WindowData"))
_LISTED = 6   # fork types named in one line before "and N more"


def upstream_layer_types() -> FrozenSet[str]:
    """Every layer type upstream BVLC Caffe (9b8915401) registers."""
    lines = _TYPES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@dataclass
class CaffeBuild:
    """The pycaffe a child imported: its package directory and registered layer types."""

    pycaffe: str
    types: Optional[List[str]] = None          # None: this pycaffe cannot list them
    extra: List[str] = field(default_factory=list)    # types upstream does not have
    lacking: List[str] = field(default_factory=list)  # upstream types this build lacks

    @classmethod
    def from_child(cls, data: dict) -> "CaffeBuild":
        types = data.get("types")
        build = cls(str(data.get("pycaffe", "?")), list(types) if types is not None else None)
        if types is not None:
            upstream = upstream_layer_types()
            build.extra = sorted(set(types) - upstream)
            build.lacking = sorted(upstream - set(types) - OPTIONAL_UPSTREAM)
        return build

    @property
    def is_fork(self) -> bool:
        return bool(self.extra)

    def describe(self) -> str:
        """``upstream BVLC Caffe`` or ``a fork (layer types upstream lacks: ...)``."""
        if self.types is None:
            return "a Caffe that cannot list its layer types (not upstream BVLC's pycaffe)"
        if self.extra:
            shown = ", ".join(self.extra[:_LISTED])
            more = f" and {len(self.extra) - _LISTED} more" if len(self.extra) > _LISTED else ""
            text = f"a fork (layer types upstream lacks: {shown}{more})"
        else:
            text = "upstream BVLC Caffe"
        if self.lacking:
            text += f"; without upstream's {', '.join(self.lacking)}"
        return text

    def lines(self) -> List[str]:
        """What ``ptx check`` prints about the Caffe that answered."""
        out = [f"Caffe: {self.describe()}, pycaffe {self.pycaffe}"]
        if self.is_fork or self.types is None:
            out.append("note: ptx lint checks against upstream's schema and rules; give it this "
                       "fork's caffe.proto with `ptx lint --schema path/to/caffe.proto` (or "
                       "`--fork NAME` for a fork ptx knows)")
        return out

    def as_json(self) -> dict:
        return {"pycaffe": self.pycaffe, "upstream": not self.is_fork and self.types is not None,
                "description": self.describe(), "fork_layer_types": self.extra,
                "lacking_upstream_types": self.lacking}
