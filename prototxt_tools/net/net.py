"""Read-only view of a whole net: a net file's Document or a solver's inline ``net_param``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from ..syntax import Message, Node, Scalar
from .coerce import as_bool
from .kind import MIXED, V0, V1, V2, net_format
from .layer import Layer

_INPUT_DIMS_PER_BLOB = 4  # deprecated ``input_dim`` lists N, C, H, W per input


@dataclass(frozen=True)
class NetInput:
    """A net-level ``input:`` blob; ``shape`` is None when no dims are written."""

    name: str
    shape: Optional[Tuple[int, ...]]
    node: Node                    # the name's scalar node
    shape_node: Optional[Node]    # the ``input_shape`` message or first ``input_dim`` value


class Net:
    """Layers, inputs and state of a net, read from its CST node on demand."""

    __slots__ = ("node", "schema", "_layers", "memo")

    def __init__(self, node: Message, schema=None):
        self.node = node
        self.schema = schema
        self._layers: Optional[List[Layer]] = None
        # What other modules derive from this view and can share (the graph wiring of a
        # set of included layers): the syntax tree under a view never changes.
        self.memo: dict = {}

    @property
    def name(self) -> str:
        value = self.node.scalar("name")
        return "" if value is None else str(value)

    @property
    def format(self) -> str:
        return net_format(self.node)

    @property
    def layers(self) -> List[Layer]:
        """Every ``layer``/``layers`` entry in file order (both kinds for a mixed net)."""
        if self._layers is None:
            fmt = self.format
            entries = [f for f in self.node.fields
                       if f.name in ("layer", "layers") and isinstance(f.value, Message)]
            self._layers = [Layer(f.value, i, _entry_format(f.name, f.value, fmt), self.schema, f)
                            for i, f in enumerate(entries)]
        return self._layers

    def layer_by_name(self, name: str) -> List[Layer]:
        """Every layer called ``name`` (Caffe does not forbid duplicates)."""
        return [layer for layer in self.layers if layer.name == name]

    @property
    def inputs(self) -> List[NetInput]:
        names = [n for n in self.node.values("input") if isinstance(n, Scalar)]
        shapes = self.node.messages("input_shape")
        dims = [n for n in self.node.values("input_dim") if isinstance(n, Scalar)]
        out = []
        for i, name_node in enumerate(names):
            shape, shape_node = None, None
            if i < len(shapes):
                shape_node = shapes[i]
                shape = tuple(shape_node.scalars("dim"))
            elif len(dims) >= _INPUT_DIMS_PER_BLOB * (i + 1):
                chunk = dims[_INPUT_DIMS_PER_BLOB * i:_INPUT_DIMS_PER_BLOB * (i + 1)]
                shape, shape_node = tuple(d.value for d in chunk), chunk[0]
            out.append(NetInput(str(name_node.value), shape, name_node, shape_node))
        return out

    @property
    def state_node(self) -> Optional[Message]:
        return self.node.message("state")

    @property
    def state(self):
        """The file's ``state {}`` as a NetState (TEST, level 0, no stages when absent)."""
        from ..graph.state import NetState
        return NetState().merge_from(self.state_node)

    @property
    def force_backward(self) -> bool:
        return as_bool(self.node.scalar("force_backward", False)) is True

    def __repr__(self) -> str:
        return f"Net({self.name!r}, {self.format}, {len(self.layers)} layers)"


def _entry_format(field: str, node: Message, net_fmt: str) -> str:
    """Per-entry format; in a mixed net each entry keeps the format its field name implies."""
    if net_fmt != MIXED:
        return net_fmt
    if field == "layer":
        return V2
    return V0 if node.has("layer") else V1
