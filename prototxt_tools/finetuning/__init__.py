"""``ptx finetune`` and ``prototxt_tools.finetune()``: a pretrained net and two image lists in,
a checked fine-tuning job folder out.

``finetune(net, train, val, out_dir, ...)`` plans the job (``job.plan_job``), stages its
files, checks them together (``checks``) and writes them (``stage.write_job``) only if
no check failed, unless ``force``.  It returns a FinetuneResult: the decisions, the
checks, the file texts and whether they were written.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from .checks import CheckLine
from .decide import Decision
from .job import Options

__all__ = ["finetune", "FinetuneResult", "Options", "Decision", "CheckLine"]


@dataclass
class FinetuneResult:
    out_dir: str
    classes: int
    decisions: List[Decision]
    checks: List[CheckLine]
    files: Dict[str, str]
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    heads: List[str] = field(default_factory=list)
    command: str = ""
    written: bool = False
    summary: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(check.failed for check in self.checks)


def finetune(net: str, train: str, val: str, out_dir: str, weights: Optional[str] = None,
             force: bool = False, train_steps: int = 2, caffe: bool = True,
             timeout: float = 600.0, **choices) -> FinetuneResult:
    """Plan, check and (unless a check fails and not ``force``) write the job folder.

    ``choices`` are the fields of ``Options`` (classes, labels, similar, strategy, epochs,
    batch, gpu, optimizer, base_lr, root_folder, mean_file, mean_values).  Bad input
    raises PtxError (one line); failed checks are in the result, nothing raised."""
    from . import checks as run
    from .job import plan_job
    from .names import DEPLOY, REPORT, SOLVER, TRAIN_VAL
    from .report import markdown, summary_lines
    from .stage import staged, write_job
    job = plan_job(net, out_dir, Options(train, val, weights, **choices))
    schema = choices.get("schema")
    with staged(out_dir, job.files) as stage:
        train_val = os.path.join(stage, TRAIN_VAL)
        found = [run.lint_check(stage, [SOLVER, DEPLOY], job.classes, weights, out_dir, schema),
                 run.heads_check(train_val, job.heads, schema),
                 run.weights_check(train_val, weights, job.heads, _from_scratch(job), schema)]
        if not caffe:
            found.append(CheckLine("caffe", run.SKIP, "skipped (--no-caffe)"))
        elif schema:
            found.append(CheckLine("caffe", run.SKIP, f"the net needs a fork's Caffe ({schema}); "
                                   f"ptx checks with upstream BVLC Caffe: not checked"))
        else:
            found.append(run.caffe_check(train_val, os.path.join(stage, DEPLOY),
                                         None if _from_scratch(job) else weights, train_steps,
                                         timeout, job.heads))
    job.files[REPORT] = markdown(job, found, os.path.basename(net))
    result = FinetuneResult(out_dir, job.classes, job.decisions, found, dict(job.files),
                            job.changes, job.notes, job.heads, job.command)
    if result.ok or force:
        write_job(out_dir, job.files)
        result.written = True
    result.summary = summary_lines(job, found, result.written, force and not result.ok)
    return result


def _from_scratch(job) -> bool:
    return any(d.topic == "strategy" and d.value == "from-scratch" for d in job.decisions)
