"""The text report and the JSON document of ``ptx log``."""
from __future__ import annotations

from statistics import median
from typing import Optional

from .model import COMPLETED, CRASHED, KILLED, TrainingLog
from .rules import diagnose


def seconds_per_iteration(log: TrainingLog, run: int) -> Optional[float]:
    """Median wall time per iteration between consecutive displays of one run."""
    rows = [r for r in log.train if r.run == run and r.seconds is not None]
    steps = [(b.seconds - a.seconds) / (b.iteration - a.iteration) for a, b in zip(rows, rows[1:])
             if b.iteration > a.iteration and b.seconds >= a.seconds]
    return median(steps) if steps else None


def print_report(log: TrainingLog, out, findings: Optional[list] = None) -> None:
    """The text report; ``findings``: the diagnoses to show (default: every rule's)."""
    tests = ", ".join(f"{len(rows)} tests of net #{k}" for k, rows in sorted(log.test.items()))
    print(f"{log.path}: {len(log.runs)} run(s), {len(log.train)} training displays"
          f"{', ' + tests if tests else ', no test lines'}", file=out)
    for run in log.runs:
        print(_run_line(log, run), file=out)
        if run.fatal:
            print(f"  {run.fatal}", file=out)
    _print_last(log, out)
    changes = log.lr_changes()
    if changes:
        text = ", ".join(f"{i}: {a:g} -> {b:g}" for i, a, b in changes[:8])
        more = f" (+{len(changes) - 8} more)" if len(changes) > 8 else ""
        print(f"learning-rate changes: {text}{more}", file=out)
    findings = diagnose(log) if findings is None else findings
    print("diagnosis:" if findings else "diagnosis: nothing unusual found", file=out)
    for finding in findings:
        print(f"  {finding.severity}: [{finding.code} {finding.name}] {finding.message}",
              file=out)
        for advice in finding.advice:
            print(f"    - {advice}", file=out)


def _run_line(log, run) -> str:
    if run.first_iteration is None:
        span = "no iterations"
    else:
        span = f"iterations {run.first_iteration}..{run.last_iteration}"
    end = {COMPLETED: "completed", CRASHED: "crashed", KILLED: "killed"}.get(run.end,
                                                                            "ended without "
                                                                            "'Optimization Done'")
    bits = [f"run {run.index + 1} (line {run.line}): {span}, {end}"]
    if run.resumed_from:
        bits.append(f"resumed from {run.resumed_from}")
    if run.weights:
        bits.append(f"fine-tuned from {run.weights}")
    if run.iter_size > 1:
        bits.append(f"iter_size {run.iter_size}")
    if run.lr_policy:
        bits.append(f"lr_policy {run.lr_policy}")
    speed = seconds_per_iteration(log, run.index)
    if speed is not None:
        bits.append(f"{speed:.3g} s/iter")
    return "; ".join(bits)


def _print_last(log, out) -> None:
    shown = [r for r in log.train if r.outputs]
    if shown:
        row = shown[-1]
        values = ", ".join(f"{k} = {v:g}" for k, v in row.outputs.items())
        lr = f", lr {row.lr:g}" if row.lr is not None else ""
        print(f"last training display: iteration {row.iteration}: {values}{lr}", file=out)
    for net, rows in sorted(log.test.items()):
        row = rows[-1]
        values = ", ".join(f"{k} = {v:g}" for k, v in row.outputs.items())
        print(f"last test of net #{net}: iteration {row.iteration}: {values or '(no outputs)'}",
              file=out)


def _row(row) -> dict:
    return {"iteration": row.iteration, "seconds": row.seconds, "lr": row.lr,
            "loss": row.loss, "outputs": dict(row.outputs),
            "line": row.line, "run": row.run}


def _run(log, run) -> dict:
    return {"index": run.index, "line": run.line, "end": run.end, "fatal": run.fatal,
            "fatal_line": run.fatal_line, "first_iteration": run.first_iteration,
            "last_iteration": run.last_iteration, "resumed_from": run.resumed_from,
            "weights": run.weights, "lr_policy": run.lr_policy, "iter_size": run.iter_size,
            "net": run.net_name, "solver": dict(run.solver),
            "seconds_per_iteration": seconds_per_iteration(log, run.index)}


def log_dict(log: TrainingLog, findings: Optional[list] = None) -> dict:
    """Everything ``ptx log --json`` prints (formats.json.dumps writes NaN/inf as "NaN",
    "Infinity", "-Infinity", like every --json output)."""
    findings = diagnose(log) if findings is None else findings
    return {
        "file": log.path,
        "runs": [_run(log, run) for run in log.runs],
        "train": [_row(r) for r in log.train],
        "test": {str(k): [_row(r) for r in rows] for k, rows in sorted(log.test.items())},
        "lr_changes": [{"iteration": i, "from": a, "to": b} for i, a, b in log.lr_changes()],
        "fatal": log.fatal,
        "diagnosis": [f.as_dict() for f in findings],
    }
