"""CSV files in parse_log.py's layout: ``<log>.train`` and ``<log>.test``.

Same columns (NumIters, Seconds, LearningRate, then one column per output name),
comma-separated, header first, so scripts written for parse_log.py read them.
Differences, on purpose: NumIters is an integer; NaN/inf rows are kept (written
``nan``/``inf``); the rate is the one of the row's own iteration; each further test
net gets its own file ``<log>.test1``, ``<log>.test2``... instead of colliding.
"""
from __future__ import annotations

import csv
import io
import math
import os
from typing import Dict, List, Optional

from .model import Row, TrainingLog, output_names

FIXED_COLUMNS = ("NumIters", "Seconds", "LearningRate")


def csv_text(rows: List[Row]) -> str:
    """The CSV text of ``rows`` (header + one line per row)."""
    names = output_names(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(FIXED_COLUMNS) + names)
    for row in rows:
        cells = [str(row.iteration), _number(row.seconds), _number(row.lr)]
        cells += [_number(row.outputs.get(name)) for name in names]
        writer.writerow(cells)
    return out.getvalue()


def csv_tables(log: TrainingLog) -> Dict[str, List[Row]]:
    """Suffix -> rows: ``train``, ``test`` (net #0), ``test1``... (only non-empty ones)."""
    tables: Dict[str, List[Row]] = {}
    train = [row for row in log.train if row.outputs]   # the final "loss = x" line has none
    if train:
        tables["train"] = train
    for net in sorted(log.test):
        rows = [row for row in log.test[net] if row.outputs]   # a test cut short has none
        if rows:
            tables["test" if net == 0 else f"test{net}"] = rows
    return tables


def write_csv_files(log: TrainingLog, directory: str, basename: Optional[str] = None) -> List[str]:
    """Write every table into ``directory``; returns the paths written."""
    from ..io import write_atomic
    basename = basename or os.path.basename(log.path)
    os.makedirs(directory, exist_ok=True)
    written = []
    for suffix, rows in csv_tables(log).items():
        path = os.path.join(directory, f"{basename}.{suffix}")
        write_atomic(path, csv_text(rows))
        written.append(path)
    return written


def _number(value: Optional[float]) -> str:
    if value is None:
        return ""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))
