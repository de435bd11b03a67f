"""``FINETUNE.md`` and the printed summary: every decision, why, and how to change it;
the checks and their verdicts; the command that starts the job."""
from __future__ import annotations

from typing import List

from .checks import CheckLine


def markdown(job, checks: List[CheckLine], net: str) -> str:
    lines = [f"# Fine-tuning {net}", "",
             "Written by `ptx finetune`. Start the job (train.sh changes into this folder first):", "",
             "```sh", "./train.sh        # runs: " + job.command + " 2>&1 | tee train.log",
             "ptx log --follow train.log", "```", "",
             "## Decisions", "", "| Decision | Value | Why | To change it |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {d.topic} | {_cell(d.value)} | {_cell(d.reason)} | {_cell(d.change)} |"
              for d in job.decisions]
    lines += ["", "## What was changed in the net", ""]
    lines += [f"- {change}" for change in job.changes] or ["- nothing"]
    if job.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in job.notes]
    lines += ["", "## Checks", ""]
    for check in checks:
        lines.append(f"- **{check.name}**: {check.status}: {check.summary}")
        lines += [f"  - {d}" for d in check.details]
    lines += ["", "## Files", "",
              "- `train_val.prototxt`: the net to train (TRAIN and TEST phases)",
              "- `solver.prototxt`: the schedule; `snapshots/`: where Caffe saves the weights",
              "- `deploy.prototxt`: the net for inference with the fine-tuned weights",
              "- `train.sh`: the `caffe train` command, its log in `train.log`", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_lines(job, checks: List[CheckLine], written: bool, forced: bool) -> List[str]:
    strategy = next(d for d in job.decisions if d.topic == "strategy")
    lines = [f"strategy: {strategy.value} -- {strategy.reason}"]
    lines += [f"{d.topic}: {d.value}" for d in job.decisions if d.topic != "strategy"]
    lines += [f"note: {note}" for note in job.notes]
    for check in checks:
        lines.append(f"check {check.name}: {check.status}: {check.summary}")
        lines += [f"  {d}" for d in check.details]
    if written:
        suffix = " (checks failed; written because of --force)" if forced else ""
        lines.append(f"wrote {job.out_dir}/: train_val.prototxt solver.prototxt deploy.prototxt "
                     f"train.sh FINETUNE.md snapshots/{suffix}")
        lines.append(f"run: {job.out_dir}/train.sh   (caffe train line: {job.command})")
    else:
        lines.append("nothing written: a check failed (see above; --force writes anyway)")
    return lines
