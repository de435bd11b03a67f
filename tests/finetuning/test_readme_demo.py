"""The README opens with the fine-tuning workflow: its first command is a ``ptx finetune``
demo on the bundled example, and that command works (into a temporary folder here)."""
from __future__ import annotations

import os
import re
import shlex

from prototxt_tools.cli import main

REPO = os.path.join(os.path.dirname(__file__), "..", "..")


def _first_command() -> str:
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as fh:
        return re.search(r"```sh\n(.*?)\n```", fh.read(), re.S).group(1)


def test_the_first_readme_command_is_the_finetune_demo_and_it_runs(tmp_path, monkeypatch, capsys):
    command = _first_command()
    finetune = next(part for part in command.split(" && ") if " finetune " in part)
    args = shlex.split(finetune)[1:]
    args[args.index("-o") + 1] = str(tmp_path / "job")
    monkeypatch.chdir(REPO)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("strategy: ") and "check lint: ok" in out and "check weights: ok" in out
    assert sorted(os.listdir(tmp_path / "job")) == ["FINETUNE.md", "deploy.prototxt", "snapshots",
                                                    "solver.prototxt", "train.sh",
                                                    "train_val.prototxt"]
