"""A run ended on a fatal line or a signal: Caffe's line quoted, with known fixes.

## What it does
Finds runs of the log that end with a glog ``F`` line, a ``Check failed``, a signal
or ``Aborted`` instead of ``Optimization Done``, and quotes the fatal line; a run
killed by a signal is a warning.  Known messages (out of memory, shape mismatch,
missing file, label out of range...) get the usual fix.

## Why it matters
A crashed run's last lines are easy to miss under thousands of iteration lines, and
the training curves of a crashed run look like those of a short healthy one.

## Example
```
F0101 10:00:00.000000  1234 syncedmem.cpp:56] Check failed: error == cudaSuccess (2 vs. 0)  out of memory
```

## Use instead
Lower ``batch_size`` and raise the solver's ``iter_size`` (same effective batch), or
fix what the quoted line names, then resume from the last snapshot.
"""
from __future__ import annotations

from ..model import CRASHED, KILLED
from .diagnosis import diagnosis

CODE = "PTX601"
NAME = "crash"
SEVERITY = "error"
OPTIONS: dict = {}
TARGET = "log"     # run by ptx log on training logs, not by ptx lint

# (substring of Caffe's fatal line, advice) — from common fine-tuning failures.
KNOWN = (
    ("out of memory", "the batch does not fit in GPU memory: lower batch_size and raise the "
                      "solver's iter_size to keep the effective batch"),
    ("File not found", "a path in the command line or solver does not exist (relative paths "
                       "are resolved from the directory caffe was started in)"),
    ("shape mismatch", "a layer kept its name but changed shape: rename it to learn it from "
                       "scratch (`ptx diff` shows renamed/changed layers)"),
    ("Incompatible number of blobs", "bias_term or the Caffe fork differs from the one that "
                                     "wrote the weights"),
    ("Unknown bottom blob", "a layer reads a blob no earlier layer produces in this phase"),
    ("label_value", "a label is outside [0, num_output): fix the labels or num_output, or set "
                    "ignore_label"),
    ("error while loading shared libraries", "Caffe's binary cannot find a library it was built "
                                             "against (CUDA, cuDNN...): check LD_LIBRARY_PATH"),
)


def check(log) -> list:
    findings = []
    for run in log.runs:
        if run.end not in (CRASHED, KILLED) or not run.fatal:
            continue
        where = f" after iteration {run.last_iteration}" if run.last_iteration is not None \
            else " before the first iteration"
        verb = "was killed" if run.end == KILLED else "crashed"
        advice = [text for key, text in KNOWN if key in run.fatal]
        findings.append(diagnosis(log, CODE, NAME, "error" if run.end == CRASHED else "warning",
                                f"run {run.index + 1} {verb}{where}: {run.fatal}",
                                run.last_iteration, run.fatal_line, advice))
    return findings
