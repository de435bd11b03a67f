"""``train.sh``: the one command that starts the job, its output kept in ``train.log``.

It runs from the job's folder (the solver's paths are relative to it), creates
``snapshots/``, and tees Caffe's log to ``train.log`` so ``ptx log --follow
train.log`` can watch the run.  ``$CAFFE`` picks another caffe binary.
"""
from __future__ import annotations

import shlex
from typing import Optional

LOG = "train.log"


def caffe_command(weights: Optional[str], gpu: str, solver: str = "solver.prototxt") -> str:
    """The ``caffe train`` line exactly as train.sh runs it."""
    parts = ["caffe", "train", "-solver", solver]
    if weights:
        parts += ["-weights", weights]
    if gpu:
        parts += ["-gpu", gpu]
    return " ".join(shlex.quote(p) for p in parts)


def script_text(weights: Optional[str], gpu: str) -> str:
    command = caffe_command(weights, gpu).replace("caffe ", '"${CAFFE:-caffe}" ', 1)
    return ("#!/usr/bin/env bash\n"
            "# Written by ptx finetune (see FINETUNE.md). Watch it: ptx log --follow train.log\n"
            "set -euo pipefail\n"
            'cd "$(dirname "$0")"\n'
            "mkdir -p snapshots\n"
            f"{command} 2>&1 | tee {LOG}\n")
