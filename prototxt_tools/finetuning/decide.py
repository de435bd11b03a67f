"""The decisions of a fine-tuning job, each with its reason and how to change it.

Strategy: the classic guide's scenarios by dataset size (images per class) and
similarity to the pretraining data -- small+similar: train only the new head
(``feature-extractor``); small+different: keep the early, generic layers frozen and
put the head there (``early-features``); medium+similar: freeze the first half
(``--freeze-fraction 0.5``); large or medium+different: train everything with a
faster head (``fine-tune-all``); large+different: nothing copied (``from-scratch``).

Solver: fine-tuning starts near a good solution, so ``base_lr`` is ten times below the
from-scratch rate of the optimizer (high rates wreck the pretrained features and end
at loss 87.3365, the log of FLT_MIN); the rate drops 10x every third of the run
(``step``); one epoch = ceil(train images / batch) iterations sets the test interval
and the snapshot interval, and ``test_iter = ceil(val images / test batch)``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..errors import PtxError

SMALL, MEDIUM, LARGE = "small", "medium", "large"
SMALL_BELOW, LARGE_FROM = 200, 1000        # images per class
SCENARIOS = {
    (SMALL, True): ("feature-extractor", "few images, similar data: the pretrained features fit; "
                                         "train only the new head"),
    (SMALL, False): ("early-features", "few images, different data: only the early, generic "
                                       "layers transfer; the head goes on them, they stay frozen"),
    (MEDIUM, True): ("freeze-fraction", "some images, similar data: freeze the first half, "
                                        "adapt the later, more specific layers"),
    (MEDIUM, False): ("fine-tune-all", "some images, different data: every layer must adapt, "
                                       "from the pretrained start"),
    (LARGE, True): ("fine-tune-all", "many images, similar data: enough to adapt every layer "
                                     "without overfitting; the head learns 10x faster"),
    (LARGE, False): ("from-scratch", "many images, different data: pretrained weights help "
                                     "little; same architecture, nothing copied"),
}
STRATEGIES = ("feature-extractor", "early-features", "freeze-fraction", "fine-tune-all",
              "from-scratch")
# optimizer -> (fine-tuning base_lr, extra solver fields)
OPTIMIZERS: Dict[str, Tuple[float, List[Tuple[str, str]]]] = {
    "SGD": (0.001, [("momentum", "0.9")]),
    "Nesterov": (0.001, [("momentum", "0.9")]),
    "Adam": (0.0001, [("momentum", "0.9"), ("momentum2", "0.999")]),
    "RMSProp": (0.0001, [("rms_decay", "0.98")]),
    "AdaGrad": (0.001, []),
    "AdaDelta": (0.1, [("momentum", "0.95"), ("delta", "1e-6")]),
}


@dataclass
class Decision:
    topic: str
    value: str
    reason: str
    change: str       # how to change it


@dataclass
class SolverPlan:
    optimizer: str
    base_lr: float
    batch: int
    test_batch: int
    iters_per_epoch: int
    max_iter: int
    stepsize: int
    test_iter: int
    display: int
    extra: List[Tuple[str, str]] = field(default_factory=list)


def size_of(images: int, classes: int) -> str:
    per_class = images / max(classes, 1)
    if per_class < SMALL_BELOW:
        return SMALL
    return MEDIUM if per_class < LARGE_FROM else LARGE


def choose_strategy(images: int, classes: int, similar: Optional[bool],
                    forced: Optional[str]) -> Decision:
    size = size_of(images, classes)
    assumed = similar is None
    similar = True if assumed else similar
    per_class = images / max(classes, 1)
    if forced:
        if forced.partition("=")[0] not in STRATEGIES:
            raise PtxError(f"unknown --strategy '{forced}' (choose from {', '.join(STRATEGIES)})")
        return Decision("strategy", forced, f"given with --strategy (the table would pick "
                        f"{SCENARIOS[(size, similar)][0]} for {size} data)",
                        "--strategy NAME, or drop it to let the data decide")
    name, why = SCENARIOS[(size, similar)]
    similarity = ("similar (assumed: give --different if your images are unlike the "
                  "pretraining data)" if assumed else ("similar" if similar else "different"))
    reason = (f"{images} training images, {per_class:.0f} per class = {size} "
              f"(small < {SMALL_BELOW}, large >= {LARGE_FROM} per class); {similarity}: {why}")
    return Decision("strategy", name, reason,
                    "--strategy feature-extractor|early-features[=LAYER]|freeze-fraction|"
                    "fine-tune-all|from-scratch, or --similar/--different")


def strategy_passes(name: str) -> list:
    """The ``ptx edit`` pass calls of a strategy decision."""
    preset, _, layer = name.partition("=")
    if preset == "freeze-fraction":
        return [("freeze_fraction", {"fraction": float(layer) if layer else 0.5})]
    return [("strategy", {"name": preset, "layer": layer or None})]


def plan_solver(optimizer: str, train_count: int, val_count: int, batch: int, epochs: int,
                base_lr: Optional[float] = None) -> SolverPlan:
    if optimizer not in OPTIMIZERS:
        raise PtxError(f"unknown --optimizer '{optimizer}' (choose from {', '.join(OPTIMIZERS)})")
    if batch <= 0 or epochs <= 0:
        raise PtxError("--batch and --epochs must be positive")
    lr, extra = OPTIMIZERS[optimizer]
    train_batch = min(batch, train_count)
    test_batch = min(batch, val_count)
    per_epoch = math.ceil(train_count / train_batch)
    max_iter = per_epoch * epochs
    return SolverPlan(optimizer, base_lr if base_lr is not None else lr, train_batch, test_batch,
                      per_epoch, max_iter, max(1, math.ceil(max_iter / 3)),
                      math.ceil(val_count / test_batch), max(1, min(20, per_epoch // 5)),
                      list(extra))


def solver_decisions(plan: SolverPlan, train_count: int, val_count: int, batch: int,
                     epochs: int, given_lr: bool) -> List[Decision]:
    scratch = OPTIMIZERS[plan.optimizer][0] * 10
    out = [Decision("optimizer", plan.optimizer, "plain SGD with momentum 0.9 is what the "
                    "pretrained Caffe models were trained with" if plan.optimizer == "SGD"
                    else "given with --optimizer", "--optimizer SGD|Nesterov|Adam|RMSProp|"
                    "AdaGrad|AdaDelta"),
           Decision("base_lr", f"{plan.base_lr:g}", "given with --base-lr" if given_lr else
                    f"10x below the from-scratch {scratch:g} of {plan.optimizer}: the weights "
                    f"start near a solution, a high rate destroys them (loss 87.3365)",
                    "--base-lr X (or edit solver.prototxt)")]
    clipped = "" if plan.batch == batch else f" (--batch {batch} is more than the {train_count} images)"
    out.append(Decision("batch", f"{plan.batch} train, {plan.test_batch} test",
                        f"--batch{clipped}; the test batch is at most the {val_count} "
                        f"validation images", "--batch N (lower it if the GPU runs out of memory)"))
    out.append(Decision("max_iter", str(plan.max_iter), f"{epochs} epochs x {plan.iters_per_epoch} "
                        f"iterations (ceil({train_count} / {plan.batch}))", "--epochs N"))
    out.append(Decision("lr_policy", f"step, gamma 0.1, stepsize {plan.stepsize}",
                        "the rate drops 10x after each third of the run",
                        "edit lr_policy/stepsize in solver.prototxt"))
    seen = plan.test_iter * plan.test_batch
    twice = f"; {seen - val_count} images are tested twice" if seen != val_count else ""
    out.append(Decision("test_iter", str(plan.test_iter), f"ceil({val_count} / {plan.test_batch}) "
                        f"covers the validation list once{twice}", "follows --val and --batch"))
    out.append(Decision("test_interval and snapshot", str(plan.iters_per_epoch),
                        "once per epoch; snapshots go to snapshots/ (created)",
                        "edit test_interval/snapshot in solver.prototxt"))
    return out
