"""Training loss that climbs far above its best value and stays there."""
from __future__ import annotations

from .finding import Finding
from .series import last_run_curve

CODE = "divergence"
RISE = 1.5   # smoothed loss this many times its minimum (and above its start)


def check(log) -> list:
    found = last_run_curve(log)
    if found is None:
        return []
    _run, curve, smoothed = found
    best_at = min(range(len(smoothed)), key=lambda k: smoothed[k][1])
    best = smoothed[best_at][1]
    final = smoothed[-1][1]
    if best <= 0 or final < RISE * best:
        return []
    since = next((i for i, v in smoothed[best_at:] if v >= RISE * best), smoothed[-1][0])
    return [Finding(CODE, "error",
                    f"training loss diverges: {final:.4g} at iteration {smoothed[-1][0]} vs "
                    f"{best:.4g} at iteration {smoothed[best_at][0]} (above {RISE}x since "
                    f"iteration {since})", since, None,
                    ["lower base_lr or shorten the step schedule before that iteration",
                     "check momentum/solver type settings (Adam lr ~1e-3 or lower, "
                     "RMSProp/AdaGrad without momentum)"])]
