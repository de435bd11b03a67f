"""One diagnosis: what was seen, where, why it usually happens and what to try."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional


@dataclass
class Finding:
    code: str                       # stable id, e.g. "loss-87.3365"
    severity: str                   # "error" | "warning" | "info"
    message: str                    # one line: what the log shows
    iteration: Optional[int] = None
    line: Optional[int] = None      # line of the log where it shows
    advice: List[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "iteration": self.iteration, "line": self.line, "advice": list(self.advice)}
