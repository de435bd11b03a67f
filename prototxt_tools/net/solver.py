"""Read-only view of a solver file: typed scalar settings and the nets it names or embeds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from ..syntax import Message, Node, Scalar
from .net import Net
from .typed import TypedParams, message_def

SOLVER_TYPE = "caffe.SolverParameter"


@dataclass(frozen=True)
class NetRef:
    """A net named by path (``net``, ``train_net``, ``test_net``); the path is as written."""

    field: str
    path: str
    node: Node


class Solver:
    """``get(name)`` reads any scalar setting (schema default when unwritten)."""

    __slots__ = ("node", "schema", "_typed")

    def __init__(self, node: Message, schema=None):
        self.node = node
        self.schema = schema
        self._typed = TypedParams(node, message_def(schema, SOLVER_TYPE), schema)

    def get(self, name: str, default=None):
        return self._typed.get(name, default)

    def is_set(self, name: str) -> bool:
        return self.node.has(name)

    def _ref(self, field: str) -> Optional[NetRef]:
        refs = self._refs(field)
        return refs[-1] if refs else None

    def _refs(self, field: str) -> List[NetRef]:
        return [NetRef(field, str(v.value), v) for v in self.node.values(field)
                if isinstance(v, Scalar)]

    def _net(self, field: str) -> Optional[Net]:
        node = self.node.message(field)
        return Net(node, self.schema) if node is not None else None

    @property
    def net(self) -> Optional[NetRef]:
        return self._ref("net")

    @property
    def train_net(self) -> Optional[NetRef]:
        return self._ref("train_net")

    @property
    def test_net(self) -> List[NetRef]:
        """``test_net`` is repeated: one path per test net."""
        return self._refs("test_net")

    @property
    def net_param(self) -> Optional[Net]:
        return self._net("net_param")

    @property
    def train_net_param(self) -> Optional[Net]:
        return self._net("train_net_param")

    @property
    def test_net_param(self) -> List[Net]:
        return [Net(m, self.schema) for m in self.node.messages("test_net_param")]

    @property
    def test_iter(self) -> List[int]:
        return self.node.scalars("test_iter")

    @property
    def test_state(self) -> List[Message]:
        """``test_state {}`` nodes, one per test net (merge with ``graph.state.solver_net_state``)."""
        return self.node.messages("test_state")

    @property
    def train_state(self) -> Optional[Message]:
        return self.node.message("train_state")

    def __repr__(self) -> str:
        return f"Solver(line {self.node.line})"
