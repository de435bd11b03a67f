"""What a parsed file is (net, solver, SSD labelmap) and which net format it uses.

Decided from top-level field names alone, so it works for fork files whose
schema we do not know and before any validation runs.
"""
from __future__ import annotations

from ..syntax import Document

NET = "net"
SOLVER = "solver"
LABELMAP = "labelmap"
UNKNOWN = "unknown"

V0 = "v0"
V1 = "v1"
V2 = "v2"
MIXED = "mixed"

_NET_FIELDS = frozenset(("layer", "layers", "input", "input_shape", "input_dim",
                         "force_backward", "state", "debug_info"))
_SOLVER_FIELDS = frozenset((
    "net", "net_param", "train_net", "test_net", "train_net_param", "test_net_param",
    "train_state", "test_state", "test_iter", "test_interval", "test_compute_loss",
    "test_initialization", "base_lr", "display", "average_loss", "max_iter", "iter_size",
    "lr_policy", "gamma", "power", "momentum", "weight_decay", "regularization_type",
    "stepsize", "stepvalue", "clip_gradients", "snapshot", "snapshot_prefix",
    "snapshot_diff", "snapshot_format", "solver_mode", "device_id", "random_seed", "type",
    "delta", "momentum2", "rms_decay", "debug_info", "snapshot_after_train", "solver_type",
    "layer_wise_reduce", "weights"))


def file_kind(doc: Document) -> str:
    """``net``, ``solver``, ``labelmap`` or ``unknown`` (nothing recognisable at top level)."""
    names = {f.name for f in doc.fields}
    if names & _NET_FIELDS - {"debug_info"}:
        return NET
    if names & _SOLVER_FIELDS:
        return SOLVER
    if names == {"item"}:
        return LABELMAP
    if names <= {"name"}:
        return NET
    return UNKNOWN


def net_format(net) -> str:
    """``v0``, ``v1``, ``v2`` or ``mixed`` for a Document or inline ``net_param`` message.

    V0 nets nest a ``layer {}`` inside each ``layers {}``; V1 uses ``layers``
    with enum types; V2 uses ``layer``.  ``mixed`` (both) is refused by Caffe.
    """
    has_layer = net.has("layer")
    layers = net.messages("layers")
    if has_layer and layers:
        return MIXED
    if any(block.has("layer") for block in layers):
        return V0
    if layers:
        return V1
    return V2
