"""``solver.prototxt`` of a fine-tuning job, written from a SolverPlan.

Paths are relative to the job's folder (``train.sh`` runs Caffe there):
``net: "train_val.prototxt"`` and ``snapshot_prefix: "snapshots/NAME"``, so the folder
can be moved as a whole.  ``solver_mode: GPU``; the device comes from ``-gpu``.
"""
from __future__ import annotations

from ..syntax.values import quote_string
from .decide import SolverPlan

HEADER = "# Written by ptx finetune; FINETUNE.md says why each value is what it is.\n"


def solver_text(plan: SolverPlan, net_file: str, snapshot_prefix: str) -> str:
    fields = [("net", quote_string(net_file, '"')),
              ("type", quote_string(plan.optimizer, '"')),
              ("test_iter", str(plan.test_iter)),
              ("test_interval", str(plan.iters_per_epoch)),
              ("base_lr", f"{plan.base_lr:g}"),
              ("lr_policy", '"step"'),
              ("gamma", "0.1"),
              ("stepsize", str(plan.stepsize)),
              ("max_iter", str(plan.max_iter)),
              ("display", str(plan.display))]
    fields += plan.extra
    fields += [("weight_decay", "0.0005"),
               ("snapshot", str(plan.iters_per_epoch)),
               ("snapshot_prefix", quote_string(snapshot_prefix, '"')),
               ("solver_mode", "GPU")]
    return HEADER + "".join(f"{name}: {value}\n" for name, value in fields)
