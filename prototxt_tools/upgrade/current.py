"""A loaded file in the current format: V0/V1 nets upgraded in memory, as Caffe upgrades
them on load, for the readers that compare or infer (``ptx diff``, shapes) rather than edit."""
from __future__ import annotations


def as_current(ptx_file, inputs: bool = False):
    """``ptx_file`` itself, or a PtxFile of its upgraded text when it is a V0/V1 net (or,
    with ``inputs``, a net with deprecated ``input`` fields, which Caffe turns into an Input
    layer); PtxError when the upgrade fails.  Without ``inputs`` the layers keep their
    positions, which shape results are keyed by."""
    if ptx_file.kind != "net":
        return ptx_file
    if ptx_file.format in (None, "v2") and not (inputs and ptx_file.doc.has("input")):
        return ptx_file
    from ..api import PtxFile
    from . import upgrade_text
    upgraded = upgrade_text(ptx_file.text, ptx_file.path)
    if not upgraded.needed:
        return ptx_file
    return PtxFile(upgraded.text, ptx_file.path, ptx_file.schema_path)
