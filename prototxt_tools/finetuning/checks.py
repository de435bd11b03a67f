"""The checks of a staged fine-tuning job, each one summary line (and details).

1. lint of the solver with its net in both phases, and of the deploy net;
2. the weight-copy preview of ``--weights`` into the train_val (what Caffe's
   CopyTrainedLayersFrom will do): backbone layers copied, new heads fresh, no failure;
3. when pycaffe is there, real Caffe builds TRAIN, TEST and the deploy net, and a few
   SGD steps show frozen layers still and trained ones (the head) moving.

A check that could not run says so ("not checked: why"); it never passes silently.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

PASS, FAIL, SKIP = "ok", "FAILED", "not checked"
_LEARNABLE = ("Convolution", "Deconvolution", "InnerProduct", "Scale", "Bias", "PReLU", "Embed")


@dataclass
class CheckLine:
    name: str
    status: str
    summary: str
    details: List[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == FAIL


def lint_check(stage: str, files: List[str], classes: int, weights: Optional[str],
               shown: str, schema: Optional[str] = None) -> CheckLine:
    from ..lint import lint_files
    from ..lint.config import LintConfig
    from ..lint.context import LintOptions
    fork = schema[len("fork:"):] if schema and schema.startswith("fork:") else None
    options = LintOptions(root=stage, num_classes=classes, weights=weights, schema=schema,
                          fork=fork)
    report = lint_files([os.path.join(stage, f) for f in files], LintConfig(), options)
    problems = [p for p in report.problems if p.severity in ("error", "warning")]
    details = [_shown(p.parsable(), stage, shown) for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    what = " + ".join(files)
    if not problems:
        return CheckLine("lint", PASS, f"clean ({what}; the solver's net in TRAIN and TEST)")
    status = FAIL if errors else PASS
    return CheckLine("lint", status, f"{errors} errors, {len(problems) - errors} warnings "
                                     f"({what})", details)


def _shown(text: str, stage: str, shown: str) -> str:
    return text.replace(stage.rstrip(os.sep) + os.sep, shown.rstrip(os.sep) + os.sep)


def heads_check(net_path: str, heads: List[str], schema: Optional[str] = None) -> CheckLine:
    """Every new head must learn: a frozen one (lr_mult 0 everywhere) keeps its random
    filler for ever, and a strategy can freeze one (an auxiliary head early in the file)."""
    from ..api import load
    if not heads:
        return CheckLine("heads", FAIL, "no head was found to replace")
    ptx_file = load(net_path, schema)
    net = ptx_file.net
    frozen = [name for name in heads for layer in net.layer_by_name(name)[:1]
              if layer.params and all(spec.lr_mult == 0 for spec in layer.params)]
    if frozen:
        return CheckLine("heads", FAIL, f"new head{'s' if len(frozen) > 1 else ''} "
                                        f"{', '.join(frozen)} frozen (lr_mult 0): "
                                        f"{'they' if len(frozen) > 1 else 'it'} would never "
                                        f"learn from the random filler; use another --strategy")
    dangling = _dangling(ptx_file)
    if dangling:
        return CheckLine("heads", FAIL, f"{', '.join(dangling)} would train but reach no loss "
                                        f"(a branch left without a reader): no gradient ever "
                                        f"reaches {'them' if len(dangling) > 1 else 'it'}")
    return CheckLine("heads", PASS, f"{', '.join(heads)} learn (lr_mult > 0)")


def _dangling(ptx_file) -> List[str]:
    """Learnable, not frozen TRAIN layers whose output reaches no loss."""
    graph = ptx_file.graph("TRAIN")
    reaching = {layer.index for layer in graph.learnable_layers_reaching_loss()}
    out = []
    for layer in graph.layers():
        learnable = layer.type in _LEARNABLE or bool(layer.params)
        frozen = bool(layer.params) and all(spec.lr_mult == 0 for spec in layer.params)
        if learnable and not frozen and layer.index not in reaching:
            out.append(layer.name)
    return out


def weights_check(net_path: str, weights: Optional[str], heads: List[str],
                  from_scratch: bool, schema: Optional[str] = None) -> CheckLine:
    from ..api import load
    from ..weights import COPIED, FILLER, IGNORED, preview_for_file
    if not weights:
        return CheckLine("weights", SKIP, "no --weights given: the weight copy is not checked")
    preview = preview_for_file(load(net_path, schema), weights, "TRAIN")
    copied = [o.layer for o in preview.outcomes if o.status == COPIED]
    fresh = list(dict.fromkeys(o.layer for o in preview.outcomes if o.status == FILLER))
    ignored = [o.layer for o in preview.outcomes if o.status == IGNORED]
    details = [f"{o.layer}: {o.message or o.status}" for o in preview.failures]
    copied_names = list(dict.fromkeys(copied))
    summary = (f"{len(copied_names)} layers copied, fresh: {', '.join(fresh) or '-'}; "
               f"{len(set(ignored))} in the file unused")
    if details:
        return CheckLine("weights", FAIL, f"Caffe would stop copying: {summary}", details)
    if from_scratch:
        return CheckLine("weights", PASS, f"from-scratch: nothing copied by design ({summary})")
    stray = [name for name in fresh if name not in heads]
    if stray:
        return CheckLine("weights", FAIL, f"layers other than the new head(s) would start from "
                                          f"their filler: {', '.join(stray)} ({summary})")
    return CheckLine("weights", PASS, summary)


def caffe_check(train_val: str, deploy: str, weights: Optional[str], train_steps: int,
                timeout: float, heads: Sequence[str] = ()) -> CheckLine:
    from ..caffe.check import check_net
    from ..caffe.runner import CaffeUnavailable, require_pycaffe
    try:
        require_pycaffe()
    except CaffeUnavailable as exc:
        return CheckLine("caffe", SKIP, f"Caffe not available ({exc.message}): builds and "
                                        f"training steps not checked")
    try:
        runs = [("TRAIN", check_net(train_val, "TRAIN", weights, train_steps=train_steps,
                                    timeout=timeout)),
                ("TEST", check_net(train_val, "TEST", timeout=timeout)),
                ("deploy", check_net(deploy, "TEST", timeout=timeout))]
    except CaffeUnavailable as exc:   # pycaffe broken, a crash or a hang: no verdict on the job
        return CheckLine("caffe", SKIP, f"Caffe could not run ({exc.message}): builds and "
                                        f"training steps not checked")
    failed = [(what, r) for what, r in runs if r.fatal is not None]
    if failed:
        return CheckLine("caffe", FAIL, f"Caffe refuses {failed[0][0]}: {failed[0][1].fatal.message}",
                         [f"{what}: {r.fatal.message}" for what, r in failed])
    return _training_line(runs, train_steps, heads)


def _training_line(runs, train_steps: int, heads: Sequence[str]) -> CheckLine:
    """Fails when a frozen layer moved or a new head did not: what the strategy promises.
    A pretrained layer meant to train that did not move measurably in a few steps is
    only noted: deep in a net, gradients that small round away in float32."""
    built = ", ".join(f"{what} ({len(r.layers)} layers)" for what, r in runs)
    train = runs[0][1]
    if not train_steps or train.training is None:
        return CheckLine("caffe", PASS, f"builds {built}; no training steps run")
    layers = train.training
    moved_frozen = [t for t in layers if t.expected != "trains" and t.problem]
    still_heads = [t for t in layers if t.name in heads and not t.changed]
    still = [t.name for t in layers if t.expected == "frozen" and not t.changed]
    moved = [t.name for t in layers if t.expected == "trains" and t.changed]
    quiet = [t.name for t in layers if t.expected == "trains" and not t.changed
             and t.name not in heads]
    details = [f"{t.name}: {t.problem}" for t in moved_frozen]
    details += [f"{t.name}: the new head did not move: no gradient reaches it" for t in still_heads]
    summary = (f"builds {built}; {train_steps} SGD steps: {len(still)} frozen layers still, "
               f"{len(moved)} trained layers moved ({', '.join(moved[-3:]) or '-'})")
    if quiet:
        details.append(f"note: {len(quiet)} trainable pretrained layers did not move measurably "
                       f"in {train_steps} steps ({', '.join(quiet[:3])}"
                       f"{' ...' if len(quiet) > 3 else ''}): tiny gradients, not judged")
    return CheckLine("caffe", FAIL if moved_frozen or still_heads else PASS, summary, details)
