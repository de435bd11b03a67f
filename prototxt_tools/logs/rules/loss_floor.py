"""Loss stuck at 87.3365 = -ln(FLT_MIN): SoftmaxWithLoss clamps log(p) at FLT_MIN, so this
value means the true class's probability underflowed to 0 — the logits overflowed."""
from __future__ import annotations

import math

from .finding import Finding

CODE = "loss-87.3365"
FLOOR = -math.log(1.17549435e-38)   # 87.33654475...

ADVICE = [
    "the softmax input overflowed (inf/NaN logits): the net diverged or its input is absurd",
    "lower base_lr (Caffe's tutorial: if you see very large, NaN or inf losses, drop base_lr)",
    "check labels: every label must be in [0, num_output) or equal to ignore_label "
    "(release builds do not check)",
    "check the input scale/mean and BatchNorm statistics (use_global_stats) of a fine-tuned net",
]


def _at_floor(value: float) -> bool:
    if not math.isfinite(value) or value < FLOOR * 0.99:
        return False
    multiple = value / FLOOR
    return abs(multiple - round(multiple)) < 2e-4 * max(1.0, round(multiple))


def check(log) -> list:
    streak, first = 0, None
    for row in log.train:
        hits = [name for name, value in row.outputs.items() if _at_floor(value)]
        if hits:
            streak += 1
            first = first or (row, hits[0])
            if streak >= 2:
                break
        else:
            streak, first = 0, None
    if streak < 2 or first is None:
        return []
    row, name = first
    return [Finding(CODE, "error",
                    f"'{name}' is stuck at {row.outputs[name]:g} (a multiple of 87.3365 = "
                    f"-ln(FLT_MIN)) from iteration {row.iteration}",
                    row.iteration, row.line, list(ADVICE))]
