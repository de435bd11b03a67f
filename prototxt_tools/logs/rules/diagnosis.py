"""One diagnosis of a training log: an ordinary Problem (code PTX6xx, rule name, severity,
log line) plus the iteration it is about and what to try, so every output format, ``ptx
rule``, ``--select`` and SARIF serve log findings as they serve lint findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence, Tuple

from ...problems import Problem


@dataclass(frozen=True, order=True)
class Diagnosis(Problem):
    """A Problem about a training log; ``advice`` is what usually fixes it, one line each;
    ``log_line`` is None for a trend no one line shows (``line`` then says 1)."""

    iteration: Optional[int] = field(default=None, compare=False)
    log_line: Optional[int] = field(default=None, compare=False)
    advice: Tuple[str, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "severity": self.severity,
                "message": self.message, "iteration": self.iteration, "line": self.log_line,
                "advice": list(self.advice)}


def diagnosis(log, code: str, name: str, severity: str, message: str,
              iteration: Optional[int] = None, line: Optional[int] = None,
              advice: Sequence[str] = ()) -> Diagnosis:
    """A Diagnosis by rule ``code``/``name`` at ``line`` of the log."""
    return Diagnosis(log.path, line or 1, 1, code, name, message, severity,
                     iteration=iteration, log_line=line, advice=tuple(advice))
