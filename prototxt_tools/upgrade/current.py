"""A loaded file in the current format: V0/V1 nets upgraded in memory, as Caffe upgrades
them on load, for the readers that compare or infer (``ptx diff``, shapes) rather than edit."""
from __future__ import annotations


def as_current(ptx_file):
    """``ptx_file`` itself, or a PtxFile of its upgraded text when it is a V0/V1 net;
    PtxError when the upgrade fails."""
    if ptx_file.kind != "net" or ptx_file.format in (None, "v2"):
        return ptx_file
    from ..api import PtxFile
    from . import upgrade_text
    upgraded = upgrade_text(ptx_file.text, ptx_file.path)
    if not upgraded.needed:
        return ptx_file
    return PtxFile(upgraded.text, ptx_file.path, ptx_file.schema_path)
