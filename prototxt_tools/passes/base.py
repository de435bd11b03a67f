"""What every pass shares: its declaration (``Pass``, ``Option``), its result type, layer
lookup with did-you-mean, the net states a pass looks at, and the value parsers of
``ptx edit``'s flags.

A pass is ``run(ptx_file, **params) -> EditResult``: pure (it reads the file and
returns edits against its text), and idempotent (running it on its own output
returns no edits, and a note from ``unchanged`` saying why).  Passes accept V2 nets only: V0/V1 nets go through
``ptx upgrade`` first, so every pass edits one layout.  Each pass module declares
its passes as ``Pass`` records; ``ptx edit``'s flags and the Python API's
``passes.call`` are built from them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..edits import TextEdit
from ..errors import PtxError
from ..net.kind import V2

TRAIN, TEST = "TRAIN", "TEST"


@dataclass
class EditResult:
    """Edits against the pass's input text, what they do (``changes``, one line each)
    and what the user should know (``notes``: caveats, not changes)."""

    edits: List[TextEdit] = field(default_factory=list)
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)


NOTHING = "nothing to change: "


def unchanged(why: str) -> EditResult:
    """The result of a pass that changes nothing, saying why (a silent no-op reads as
    success on a net the pass did not understand)."""
    return EditResult(notes=[NOTHING + why])


@dataclass(frozen=True)
class Option:
    """An option of ``ptx edit`` that passes read besides their own flag's value
    (``--head-lr-mult``): its flag and argparse settings (``default`` is also the
    Python API's default).  Options of one ``exclusive`` group exclude each other."""

    flag: str
    settings: Dict[str, Any] = field(default_factory=dict, hash=False)
    exclusive: Optional[str] = None

    @property
    def default(self) -> Any:
        """The value when the option is not given (argparse's rule)."""
        return self.settings.get("default", False if self.settings.get("action") == "store_true"
                                 else None)

    @property
    def dest(self) -> str:
        """The attribute the value is stored under (``--head-lr-mult`` -> ``head_lr_mult``)."""
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Pass:
    """A pass as it describes itself.  ``params(value, options)`` turns its flag's value
    (None for a flag without ``metavar``) and the ``options`` it reads (attributes named
    by ``Option.dest``) into ``run``'s keyword arguments; malformed values are PtxErrors."""

    name: str
    run: Callable[..., EditResult]
    help: str
    metavar: Optional[str]
    params: Callable[[Optional[str], Any], Dict[str, Any]]
    options: Tuple[Option, ...] = ()

    @property
    def flag(self) -> str:
        """``cut_gradient`` -> ``--cut-gradient``."""
        return "--" + self.name.replace("_", "-")


HEAD_LR_MULT = Option("--head-lr-mult", {
    "default": "10,20", "metavar": "W,B",
    "help": "lr_mult of the new head's weights and bias (default 10,20)"})


def require_v2(ptx_file) -> None:
    """Passes edit V2 nets; older formats get a pointer to ``ptx upgrade``."""
    ptx_file.expect("net")
    if ptx_file.net.format != V2:
        raise PtxError(f"this is a {ptx_file.net.format.upper()} net; run `ptx upgrade` "
                       f"first (ptx edit works on the current format)", ptx_file.path)


def layers_named(ptx_file, name: str) -> list:
    """Every layer called ``name`` (TRAIN and TEST copies); PtxError with a suggestion if none."""
    found = ptx_file.net.layer_by_name(name)
    if found:
        return found
    names = {layer.name for layer in ptx_file.net.layers}
    raise PtxError(no_such("layer", name, names), ptx_file.path)


def no_such(what: str, name: str, known) -> str:
    """``no layer named 'x'``, with the closest of ``known`` suggested as everywhere in ptx
    (``schema.values.did_you_mean``)."""
    from ..schema.values import did_you_mean
    hint = did_you_mean(name, sorted(known))
    return f"no {what} named '{name}'" + (f".{hint}" if hint else "")


def graphs(ptx_file) -> list:
    """The graph of every state of ``graph.state.states_to_check`` (cached by the PtxFile)."""
    from ..graph.state import states_to_check
    return [ptx_file.state_graph(state) for state in states_to_check(ptx_file.net)]


def parse_mults(text: str, what: str) -> List[float]:
    """``W`` or ``W,B`` → [W] or [W, B]; PtxError otherwise."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not 1 <= len(values) <= 2 or any(v < 0 for v in values):
        raise PtxError(f"{what} wants W or W,B with non-negative numbers, got {text!r}")
    return values


def split_assignment(text: str, what: str) -> Tuple[str, str]:
    """``LAYER=VALUE`` → (LAYER, VALUE); PtxError when malformed."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise PtxError(f"{what} wants NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def positive_int(text: str, flag: str) -> int:
    """``"20"`` -> 20; PtxError for anything but a positive integer."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise PtxError(f"{flag} wants a positive integer, got {text!r}")
    return value


def layer_list(text: str) -> List[str]:
    """``"conv1, conv2"`` -> ["conv1", "conv2"]."""
    return [name.strip() for name in text.split(",") if name.strip()]


def old_new(flag: str) -> Callable[[Optional[str], Any], Dict[str, Any]]:
    """The ``params`` of a ``--flag OLD=NEW`` pass."""
    def params(value, _options) -> Dict[str, Any]:
        old, new = split_assignment(value, flag)
        return {"old": old, "new": new}
    return params


def one_layer(value, _options) -> Dict[str, Any]:
    """The ``params`` of a ``--flag LAYER`` pass."""
    return {"layer": value}
