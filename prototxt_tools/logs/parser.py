"""Parse a Caffe training log (glog lines of ``caffe train``) into a TrainingLog.

Line by line, so ``ptx log --follow`` can feed a growing file.  What belongs
together: "Iteration N, loss = x" opens a training row that the following
"Train net output #k" lines fill; "Iteration N, Testing net (#t)" opens a test
row for net t; "Iteration N, lr = r" gives the rate of iteration N (it is printed
*after* that iteration's outputs, so rows get their rate when the run is
finished, not from the previous display as parse_log.py does).
A new "Initializing solver from parameters" starts a new run; a fatal line
(``F...]``, a caught signal, a loader error) ends the current one.
"""
from __future__ import annotations

import math
import re
from typing import Dict, Iterable, Optional

from .model import COMPLETED, CRASHED, INCOMPLETE, KILLED, Row, Run, TrainingLog
from .stamps import Clock

_GLOG = re.compile(r"^([IWEF])(\d{4}) (\d\d:\d\d:\d\d\.\d+)\s+\d+ ([\w.+-]+):\d+\] ?(.*)$")
_NUM = r"([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf|infinity)|-?nan\(\w*\))"
_ITER_LOSS = re.compile(r"^Iteration (\d+)(?: \((\S+) iter/s, [^)]*\))?, loss = " + _NUM, re.I)
_OUTPUT = re.compile(r"^(Train|Test) net output #(\d+): (\S+) = " + _NUM + r"( \(\* )?", re.I)
_TESTING = re.compile(r"^Iteration (\d+), Testing net \(#(\d+)\)")
_LR = re.compile(r"^Iteration (\d+), lr = " + _NUM, re.I)
_SOLVING = re.compile(r"^Solving ?(.*)$")
_POLICY = re.compile(r"^Learning Rate Policy: (\S+)")
_FINETUNE = re.compile(r"^Finetuning from (\S+)")
_RESUME = re.compile(r"^(?:Resuming from|Restoring previous solver status from) (\S+)")
_SOLVER_FIELD = re.compile(r"^(\w+): (.*)$")
_SIGNAL = re.compile(r"^\*\*\* (SIG\w+) .*received by PID")
_LOADER = re.compile(r"\bcaffe(?:\.bin)?: error while loading shared libraries: .*")
_DONE = "Optimization Done"


def to_float(text: str) -> float:
    """Caffe prints floats with C++ streams: ``nan``, ``-nan``, ``inf``, ``1e+10``."""
    text = text.lower()
    if "nan" in text:
        return math.nan
    return float(text)


class LogParser:
    """Feed lines with ``feed``; ``log`` is up to date after every line."""

    def __init__(self, path: str = "<log>"):
        self.log = TrainingLog(path)
        self.clock = Clock()
        self.recognized = False          # saw at least one glog line or a Caffe launcher error
        self._train: Optional[Row] = None
        self._test: Optional[Row] = None
        self._in_solver_dump = False
        self._depth = 0
        self._lr: Dict[tuple, float] = {}   # (run, iteration) -> lr

    # --- public --------------------------------------------------------
    def feed_all(self, lines: Iterable[str]) -> TrainingLog:
        for line in lines:
            self.feed(line)
        return self.finish()

    def feed(self, line: str) -> None:
        self.log.lines += 1
        number = self.log.lines
        line = line.rstrip("\r\n")
        match = _GLOG.match(line)
        if match is None:
            self._plain_line(line, number)
            return
        self.recognized = True
        self._in_solver_dump = False
        level, date, time, _source, text = match.groups()
        self.clock.tick(date, time)
        if level == "F":
            self._fatal(line, number, CRASHED)
            return
        self._message(text.strip(), number)

    def finish(self) -> TrainingLog:
        """Fill each row's learning rate from the rate printed for its iteration."""
        self._fill_rates()
        return self.log

    # --- lines ---------------------------------------------------------
    def _plain_line(self, line: str, number: int) -> None:
        if self._in_solver_dump:
            self._solver_field(line)
            return
        signal = _SIGNAL.match(line)
        if signal:
            self.recognized = True
            self._fatal(line.strip(), number, KILLED)
        elif _LOADER.search(line):
            self.recognized = True
            self._fatal(line.strip(), number, CRASHED)

    def _solver_field(self, line: str) -> None:
        """Top-level fields of the solver dump (``net_param { ... }`` skipped)."""
        stripped = line.strip()
        if self._depth == 0:
            match = _SOLVER_FIELD.match(stripped)
            if match:
                self._run().solver[match.group(1)] = match.group(2).strip().strip('"')
        self._depth += stripped.count("{") - stripped.count("}")
        self._depth = max(self._depth, 0)

    def _message(self, text: str, number: int) -> None:
        if text.startswith("Initializing solver from parameters"):
            self._new_run(number)
            self._in_solver_dump, self._depth = True, 0
            return
        for pattern, handler in _HANDLERS:
            match = pattern.match(text)
            if match:
                handler(self, match, number)
                return
        if text.startswith(_DONE) and self.log.runs:   # printed twice (solver.cpp, caffe.cpp)
            run = self.log.runs[-1]
            run.end = COMPLETED if run.fatal is None else run.end

    def _new_run(self, number: int) -> Run:
        run = Run(index=len(self.log.runs), line=number)
        self.log.runs.append(run)
        self._train = self._test = None
        return run

    def _run(self) -> Run:
        return self.log.runs[-1] if self.log.runs else self._new_run(self.log.lines)

    def _current_run(self, number: int) -> Run:
        """The run a line belongs to; a line after a finished run starts a new one."""
        run = self._run()
        return self._new_run(number) if run.end != INCOMPLETE else run

    def _fatal(self, line: str, number: int, end: str) -> None:
        run = self._current_run(number)
        if run.fatal is None:
            run.fatal, run.fatal_line, run.end = line, number, end

    # --- handlers --------------------------------------------------------
    def _on_iteration_loss(self, match, number: int) -> None:
        run = self._current_run(number)
        iteration = int(match.group(1))
        self._see_iteration(run, iteration)
        if match.group(2):
            try:
                run.iter_per_second.append(float(match.group(2)))
            except ValueError:
                pass
        self._train = Row(iteration, self.clock.seconds, None, {}, number, run.index,
                          loss=to_float(match.group(3)))
        self.log.train.append(self._train)

    def _on_testing(self, match, number: int) -> None:
        run = self._current_run(number)
        iteration, net = int(match.group(1)), int(match.group(2))
        self._see_iteration(run, iteration)
        self._test = Row(iteration, None, None, {}, number, run.index, net=net)
        self.log.test.setdefault(net, []).append(self._test)

    def _on_output(self, match, number: int) -> None:
        row = self._train if match.group(1).lower() == "train" else self._test
        if row is None:
            return
        name, value = match.group(3), to_float(match.group(4))
        if not row.outputs:
            row.seconds, row.line = self.clock.seconds, number
        row.outputs[name] = value
        if match.group(5):
            row.loss_outputs.append(name)

    def _on_lr(self, match, number: int) -> None:
        run = self._current_run(number)
        self._lr[(run.index, int(match.group(1)))] = to_float(match.group(2))

    def _on_solving(self, match, number: int) -> None:
        self._current_run(number).net_name = match.group(1).strip() or None
        self.clock.start_once()

    def _on_policy(self, match, number: int) -> None:
        self._current_run(number).lr_policy = match.group(1)

    def _on_finetune(self, match, number: int) -> None:
        self._current_run(number).weights = match.group(1)

    def _on_resume(self, match, number: int) -> None:
        self._current_run(number).resumed_from = match.group(1)

    @staticmethod
    def _see_iteration(run: Run, iteration: int) -> None:
        if run.first_iteration is None:
            run.first_iteration = iteration
        run.last_iteration = iteration

    def _fill_rates(self) -> None:
        """Rate of iteration i: printed for i, else the last printed before i, else the first."""
        by_run: Dict[int, list] = {}
        for (run, iteration), lr in sorted(self._lr.items()):
            by_run.setdefault(run, []).append((iteration, lr))
        rows = list(self.log.train) + [r for rows in self.log.test.values() for r in rows]
        for row in rows:
            row.lr = _rate_at(by_run.get(row.run, []), row.iteration)


def _rate_at(rates: list, iteration: int) -> Optional[float]:
    if not rates:
        return None
    best = rates[0][1]
    for printed_at, lr in rates:
        if printed_at > iteration:
            break
        best = lr
    return best


_HANDLERS = (
    (_ITER_LOSS, LogParser._on_iteration_loss),
    (_OUTPUT, LogParser._on_output),
    (_TESTING, LogParser._on_testing),
    (_LR, LogParser._on_lr),
    (_SOLVING, LogParser._on_solving),
    (_POLICY, LogParser._on_policy),
    (_FINETUNE, LogParser._on_finetune),
    (_RESUME, LogParser._on_resume),
)
