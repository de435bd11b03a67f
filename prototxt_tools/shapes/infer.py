"""Walk a NetGraph in Caffe's order and give every blob version and parameter blob a shape.

Like ``Net::Init``, layers are set up in file order (after state filtering),
each from the shapes of the blob versions its bottoms read.  Unlike Caffe,
one failure does not stop the walk: the failing layer's tops become unknown
(None) and everything that depends only on known shapes is still inferred,
so one pass reports every shape problem of the net.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from .core import Shape, ShapeError, Shapes, check_blob, count, rule_for
from .data import given_shapes, reader_shapes
from .pylayers import flavour_of, known_python_layer, python_rule

OK, ERROR, UNKNOWN_TYPE, UNKNOWN_INPUT = "ok", "error", "unknown-type", "unknown-input"
# Caffe's LossLayer subclasses (AutoTopBlobs): written without a top, such a layer still gets
# one from Net::Init, named "(automatic)" -- a scalar blob pycaffe lists, but no net output
# (Caffe keeps it out of the blobs later layers and the output list can see).
AUTO_TOP_TYPES = frozenset(("ContrastiveLoss", "EuclideanLoss", "HingeLoss", "InfogainLoss",
                            "MultinomialLogisticLoss", "SigmoidCrossEntropyLoss",
                            "SoftmaxWithLoss"))
ANONYMOUS_TOP = "(automatic)"
BYTES_PER_VALUE = 4   # Caffe's float Dtype


@dataclass
class LayerShapes:
    """One layer's inferred shapes; ``status`` says why tops may be unknown."""

    layer: object
    bottoms: List[Optional[Shape]]
    tops: List[Optional[Shape]]
    params: List[Shape] = field(default_factory=list)
    macs: int = 0
    status: str = OK
    error: Optional[ShapeError] = None
    anonymous_tops: List[Shape] = field(default_factory=list)   # Caffe's "(automatic)" tops
    partial_tops: List[object] = field(default_factory=list)   # N x C x ? x ? where tops are None
    checked: bool = False        # unknown tops, but every check known dimensions settle passed
    params_known: bool = False   # params known from channels alone (weights preview)

    @property
    def param_count(self) -> int:
        return sum(count(shape) for shape in self.params)


@dataclass
class ShapeResult:
    """Per-blob-version shapes (``blobs["conv1@0"]``), per-layer details, totals."""

    graph: object
    blobs: Dict[str, Optional[Shape]]
    layers: List[LayerShapes]
    partial: Dict[str, object] = field(default_factory=dict)   # blob key -> partial shape

    def known_part(self, name: str):
        """The full shape of blob ``name``, else what is known of it (``core.dims_text`` writes it)."""
        versions = self.graph.blobs(name)
        if not versions:
            return None
        key = versions[-1].key
        return self.blobs.get(key) or self.partial.get(key)

    def shape(self, name: str) -> Optional[Shape]:
        """The shape of the last write of blob ``name`` (what pycaffe's ``net.blobs`` shows)."""
        versions = self.graph.blobs(name)
        return self.blobs.get(versions[-1].key) if versions else None

    def of(self, layer) -> Optional[LayerShapes]:
        index = layer if isinstance(layer, int) else layer.index
        return next((entry for entry in self.layers if entry.layer.index == index), None)

    @property
    def errors(self) -> List[LayerShapes]:
        return [entry for entry in self.layers if entry.status == ERROR]

    @property
    def total_params(self) -> int:
        """Learnable values, counting a shared (named) parameter once."""
        seen, total = set(), 0
        for entry in self.layers:
            specs = entry.layer.params
            for i, shape in enumerate(entry.params):
                name = specs[i].name if i < len(specs) and getattr(specs[i], "name", "") else None
                if name and name in seen:
                    continue
                if name:
                    seen.add(name)
                total += count(shape)
        return total

    @property
    def total_macs(self) -> int:
        return sum(entry.macs for entry in self.layers)

    @property
    def activation_bytes(self) -> int:
        """Caffe's "Memory required for data": every top of every layer (in-place ones again),
        forward values only, 4 bytes each; net-level inputs included."""
        values = sum(count(s) for s in self._input_shapes() if s is not None)
        values += sum(count(t) for entry in self.layers for t in entry.tops + entry.anonymous_tops
                      if t is not None)
        return values * BYTES_PER_VALUE

    def _input_shapes(self):
        return [self.blobs.get(blob.key) for blob in self.graph.inputs if blob.producer is None]


def infer_shapes(graph, input_shapes: Optional[Dict[str, Sequence[int]]] = None) -> ShapeResult:
    """Shapes of every blob and parameter of ``graph`` (a NetGraph); never raises on bad nets.

    ``input_shapes`` maps a blob (or data layer) name to its shape and wins over
    whatever the net itself says (Input shapes, ``input_dim``, batch_size...).
    """
    given = {name: tuple(shape) for name, shape in (input_shapes or {}).items()}
    blobs: Dict[str, Optional[Shape]] = {}
    for net_input, blob in zip(graph.net.inputs, [b for b in graph.inputs if b.producer is None]):
        shape = given.get(net_input.name, net_input.shape)
        blobs[blob.key] = tuple(shape) if shape is not None else None
    entries, partial = [], {}
    flavour = flavour_of(graph.net)   # whose copy of the Python layers (pylayers.py)
    for layer in graph.layers():
        keys = [None if b is None else b.key for b in graph.bottom_blobs(layer)]
        bottoms = [None if k is None else blobs.get(k) for k in keys]
        entry = _layer_shapes(layer, bottoms, given, flavour)
        if entry.status in (UNKNOWN_INPUT, UNKNOWN_TYPE) or any(t is None for t in entry.tops):
            _partial(entry, layer, [b if b is not None else partial.get(k)
                                    for b, k in zip(bottoms, keys)], flavour)
        for i, (blob, shape) in enumerate(zip(graph.top_blobs(layer), entry.tops)):
            blobs[blob.key] = shape
            if shape is None and i < len(entry.partial_tops):
                partial[blob.key] = entry.partial_tops[i]
        entries.append(entry)
    return ShapeResult(graph, blobs, entries, partial)


def _partial(entry: LayerShapes, layer, bottoms, flavour: str) -> None:
    """What the known dimensions settle for a layer the full inference could not set up
    (``partial.judge``); a data layer whose database is absent still has its crop size."""
    from .partial import judge, known, reader_partial
    if not layer.bottoms:
        entry.partial_tops = reader_partial(layer)
        return
    if entry.status != UNKNOWN_INPUT:
        return
    rule = _rule_of(layer, flavour)
    found = judge(rule, layer, bottoms) if rule is not None else None
    if found is None:
        return
    entry.checked = found.checked
    if found.error is not None:
        entry.status, entry.error = ERROR, found.error
        return
    entry.partial_tops = (found.tops + [None] * len(layer.tops))[:len(layer.tops)]
    if found.params is not None:
        entry.params, entry.params_known = found.params, True
    if entry.partial_tops and all(map(known, entry.partial_tops)):
        # no unknown left in the tops (ROI pooling: regions x channels x bins, whatever the
        # image size): the layers below get full shapes; this layer's status stays, as its
        # own checks only ran on what its bottoms know
        entry.tops = list(entry.partial_tops)


def _layer_shapes(layer, bottoms: List[Optional[Shape]], given, flavour: str) -> LayerShapes:
    n_tops = len(layer.tops)
    entry = LayerShapes(layer, bottoms, [None] * n_tops)
    if not layer.bottoms:
        sized = reader_shapes(layer, given)
        if sized is not None:
            entry.tops = list(sized)
            return entry
    python = known_python_layer(layer)
    if python is not None and not python.needs_bottoms:   # setup() sizes them alone
        _apply_rule(entry, python_rule(layer, flavour), layer, bottoms)
        return entry
    if any(b is None for b in bottoms):
        entry.status = UNKNOWN_INPUT
        return entry
    rule = _rule_of(layer, flavour)
    if rule is None:
        entry.status = UNKNOWN_TYPE
    else:
        _apply_rule(entry, rule, layer, bottoms)
    override = given_shapes(layer, given) if not layer.bottoms else None
    if override is not None:   # the user's shapes win over Input/DummyData's own
        entry.tops = [o if o is not None else t for o, t in zip(override, entry.tops)]
        if entry.status == UNKNOWN_TYPE and all(t is not None for t in entry.tops):
            entry.status = OK
    return entry


def _rule_of(layer, flavour: str):
    """The shape rule of the layer's type; a Python layer's is its module's (pylayers.py)."""
    if layer.format == "v0":
        return None
    return python_rule(layer, flavour) if layer.type == "Python" else rule_for(layer.type)


def _apply_rule(entry: LayerShapes, rule, layer, bottoms) -> None:
    try:
        answer = rule(layer, list(bottoms))
        for top in answer.tops:
            if top is not None:
                check_blob(top)
    except ShapeError as exc:
        entry.status, entry.error = ERROR, exc
        return
    except (IndexError, ZeroDivisionError, TypeError, ValueError):
        entry.status = UNKNOWN_INPUT   # wrong bottom count etc.: the graph checks report those
        return
    n_tops = len(layer.tops)
    entry.tops = (list(answer.tops) + [None] * n_tops)[:n_tops]
    entry.params, entry.macs = list(answer.params), answer.macs
    if not n_tops and layer.type in AUTO_TOP_TYPES and answer.tops and answer.tops[0] is not None:
        entry.anonymous_tops = [tuple(answer.tops[0])]
