"""Runs that ended on a fatal line or a signal: quote Caffe's line, add known fixes."""
from __future__ import annotations

from ..model import CRASHED, KILLED
from .finding import Finding

CODE = "crash"

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
        findings.append(Finding(CODE, "error" if run.end == CRASHED else "warning",
                                f"run {run.index + 1} {verb}{where}: {run.fatal}",
                                run.last_iteration, run.fatal_line, advice))
    return findings
