"""Write Caffe-style training logs for tests (glog prefix, solver/sgd_solver lines).

Our own generator: each helper returns lines exactly as `caffe train` prints them, so
tests state the curve they want (NaN at iteration k, a step of the rate, a test net
that stops improving) and check what ptx reads back.
"""
from __future__ import annotations

from typing import Dict, List, Optional


class LogWriter:
    def __init__(self, start_seconds: int = 0, seconds_per_iter: float = 0.5):
        self.lines: List[str] = []
        self.clock = float(start_seconds)
        self.per_iter = seconds_per_iter

    def _stamp(self) -> str:
        total = self.clock
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"I0315 {10 + int(hours):02d}:{int(minutes):02d}:{seconds:09.6f}"

    def glog(self, text: str, source: str = "solver.cpp:228", level: str = "I") -> "LogWriter":
        stamp = self._stamp()
        self.lines.append(level + stamp[1:] + f"  4242 {source}] {text}")
        return self

    def header(self, **solver) -> "LogWriter":
        self.glog("Initializing solver from parameters: ", "solver.cpp:48")
        fields = {"base_lr": 0.01, "display": 20, "max_iter": 1000, "lr_policy": '"step"'}
        fields.update(solver)
        self.lines += [f"{k}: {v}" for k, v in fields.items()]
        self.lines += ["net_param {", '  name: "Tiny"', "  layer {", '    name: "data"', "  }", "}"]
        self.glog("Solving Tiny", "solver.cpp:288")
        self.glog(f"Learning Rate Policy: {str(fields['lr_policy']).strip(chr(34))}",
                  "solver.cpp:289")
        return self

    def train(self, iteration: int, outputs: Dict[str, object], lr: float,
              loss: Optional[object] = None, weights: Optional[Dict[str, float]] = None):
        self.clock += self.per_iter * 20
        first = next(iter(outputs.values()))
        self.glog(f"Iteration {iteration}, loss = {first if loss is None else loss}")
        for k, (name, value) in enumerate(outputs.items()):
            weight = (weights or {}).get(name)
            tail = f" (* {weight:g} = {value} loss)" if weight is not None else ""
            self.glog(f"    Train net output #{k}: {name} = {value}{tail}", "solver.cpp:244")
        self.glog(f"Iteration {iteration}, lr = {lr:g}", "sgd_solver.cpp:106")
        return self

    def test(self, iteration: int, outputs: Dict[str, object], net: int = 0):
        self.glog(f"Iteration {iteration}, Testing net (#{net})", "solver.cpp:337")
        self.clock += 3
        for k, (name, value) in enumerate(outputs.items()):
            tail = f" (* 1 = {value} loss)" if "loss" in name else ""
            self.glog(f"    Test net output #{k}: {name} = {value}{tail}", "solver.cpp:404")
        return self

    def done(self) -> "LogWriter":
        self.glog("Optimization Done.", "solver.cpp:322")
        return self.glog("Optimization Done.", "caffe.cpp:222")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def curve_log(losses, lrs=None, display: int = 20, tests=None, accuracy=None) -> LogWriter:
    """A run whose training loss follows ``losses`` (one per display); optional test net #0
    rows ``tests`` = {iteration: {name: value}}."""
    writer = LogWriter().header(display=display)
    lrs = lrs or [0.01] * len(losses)
    tests = tests or {}
    for k, (loss, lr) in enumerate(zip(losses, lrs)):
        iteration = k * display
        if iteration in tests:
            writer.test(iteration, tests[iteration])
        writer.train(iteration, {"loss": loss}, lr, weights={"loss": 1})
    return writer
