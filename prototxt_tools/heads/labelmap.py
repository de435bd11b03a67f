"""Writing an SSD labelmap for ``--labels``: what SSD's data tools and
DetectionOutput's ``label_map_file`` read (``item { name label display_name }``),
background first as label 0, then the classes in the order listed."""
from __future__ import annotations

from typing import Sequence

from ..syntax.values import quote_string
from ..errors import PtxError
from .classes import class_names


def labelmap_text(names: Sequence[str], newline: str = "\n") -> str:
    items = [("none_of_the_above", "background")] + [(n, n) for n in names]
    lines = []
    for label, (name, display) in enumerate(items):
        lines += ["item {", f"  name: {quote_string(name, chr(34))}", f"  label: {label}",
                  f"  display_name: {quote_string(display, chr(34))}", "}"]
    return newline.join(lines) + newline


def write_labelmap(labels: str, target: str) -> None:
    """Write ``labels`` (a names file or labelmap) as an SSD labelmap at ``target``."""
    from ..io import write_atomic
    names = class_names(labels)
    if not names:
        raise PtxError("--write-labelmap needs class names (a names file or a labelmap), "
                       "not only a count", labels)
    write_atomic(target, labelmap_text(names))
