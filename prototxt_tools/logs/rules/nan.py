"""NaN or inf in a loss or output: the run diverged (parse_log.py silently drops these rows)."""
from __future__ import annotations

import math

from .finding import Finding

CODE = "nan-loss"


def _first_bad(rows):
    for row in rows:
        values = dict(row.outputs)
        if row.loss is not None:
            values["loss (smoothed)"] = row.loss
        for name, value in values.items():
            if not math.isfinite(value):
                return row, name, value
    return None


def check(log) -> list:
    findings = []
    tables = [("training", log.train)] + [(f"test net #{k}", rows) for k, rows in
                                          sorted(log.test.items())]
    for label, rows in tables:
        bad = _first_bad(rows)
        if bad is None:
            continue
        row, name, value = bad
        lr = f" (lr {row.lr:g})" if row.lr is not None else ""
        findings.append(Finding(CODE, "error",
                                f"{label} output '{name}' is {value} from iteration "
                                f"{row.iteration}{lr}", row.iteration, row.line,
                                ["learning rate too high: lower base_lr (try 10x lower) or "
                                 "clip gradients (clip_gradients)",
                                 "labels out of range or bad input values (NaN in the data, "
                                 "division by zero in a custom layer)",
                                 "fine-tuning: new layers with a large lr_mult next to "
                                 "unnormalized features"]))
    return findings
