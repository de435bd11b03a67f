"""Planning a fine-tuning job: from a net, two lists and a few choices to the texts of
its files and the decisions behind them.  Nothing here touches the output folder
(``stage.py`` writes, ``checks.py`` judges).

The train_val is the user's net through ``ptx edit`` passes, in this order: Caffe's
format upgrade (in memory), ``to_train`` (data layers on the lists; loss and accuracy
for a deploy net), ``replace_head`` (N classes, fresh by a new name, 10x/20x lr) and
the strategy's freezing.  The deploy net is that train_val through ``to_deploy``, so
the two agree layer for layer.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from ..errors import PtxError
from . import decide, lists
from .decide import Decision
from .names import SCRIPT, SOLVER, TRAIN_VAL


@dataclass
class Options:
    """What the user chose (``ptx finetune`` flags); None means "let ptx decide"."""

    train: str
    val: str
    weights: Optional[str] = None
    classes: Optional[int] = None
    labels: Optional[str] = None
    similar: Optional[bool] = None
    strategy: Optional[str] = None
    epochs: int = 10
    batch: int = 32
    gpu: str = "0"
    optimizer: str = "SGD"
    base_lr: Optional[float] = None
    root_folder: Optional[str] = None
    mean_file: Optional[str] = None
    mean_values: Sequence[float] = ()
    schema: Optional[str] = None      # a fork's caffe.proto, or ``fork:NAME`` (--fork)


@dataclass
class Job:
    """The planned job: file texts by name, decisions, what the passes did, the data."""

    out_dir: str
    classes: int
    files: Dict[str, str] = field(default_factory=dict)
    decisions: List[Decision] = field(default_factory=list)
    changes: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    heads: List[str] = field(default_factory=list)
    train: Optional[lists.Source] = None
    val: Optional[lists.Source] = None
    command: str = ""
    class_names: List[str] = field(default_factory=list)


def plan_job(net: str, out_dir: str, options: Options) -> Job:
    from .nettext import build_nets
    from .script import caffe_command, script_text
    from .solver import solver_text
    if options.batch <= 0 or options.epochs <= 0:
        raise PtxError("--batch and --epochs must be positive")
    train, val = _read_lists(options)
    names = _label_names(options.labels) if options.labels else []
    classes = _class_count(train, val, options, len(names) or None)
    job = Job(out_dir, classes, train=train, val=val, class_names=names)
    _data_decisions(job, options)
    job.decisions.append(decide.choose_strategy(_count(train), classes, options.similar,
                                                options.strategy))
    build_nets(job, net, options)
    plan = decide.plan_solver(options.optimizer, _count(train), _count(val), options.batch,
                              options.epochs, options.base_lr)
    job.decisions += decide.solver_decisions(plan, _count(train), _count(val), options.batch,
                                             options.epochs, options.base_lr is not None)
    prefix = "snapshots/" + _slug(job.files.get("name", "") or "finetune") + "_ft"
    job.files.pop("name", None)
    job.files[SOLVER] = solver_text(plan, TRAIN_VAL, prefix)
    weights = _weights_for_script(job, options)
    job.files[SCRIPT] = script_text(weights, options.gpu)
    job.command = caffe_command(weights, options.gpu)
    job.decisions.append(Decision("GPU", f"-gpu {options.gpu}, solver_mode GPU",
                                  "caffe train without -gpu runs on the CPU",
                                  "--gpu N (or 'all'); edit train.sh"))
    return job


def _read_lists(options: Options):
    train = lists.read_source(options.train, "train")
    val = lists.read_source(options.val, "val")
    for source in (train, val):
        if source.kind == lists.LIST:
            if options.root_folder is not None:
                source.root_folder = options.root_folder
                source.root_reason = "given with --root-folder"
            else:
                lists.decide_root_folder(source, os.getcwd())
    if train.kind != val.kind:
        raise PtxError("--train and --val must both be image lists or both LMDBs", options.val)
    return train, val


def _class_count(train, val, options: Options, named: Optional[int]) -> int:
    if named is not None and options.classes is not None and named != options.classes:
        raise PtxError(f"--labels names {named} classes but --classes says {options.classes}",
                       options.labels)
    return lists.check_labels(train, val, options.classes or named)


def _label_names(path: str) -> List[str]:
    """Class names, one per line (synset_words.txt style: the line is the name)."""
    from ..io import read_source
    return [line.strip() for line in read_source(path).splitlines() if line.strip()]


def _count(source) -> int:
    if source.kind == lists.LIST:
        return source.count
    return _lmdb_entries(source.path)


def _lmdb_entries(path: str) -> int:
    return lists.lmdb_entries(path)


def _data_decisions(job: Job, options: Options) -> None:
    train, val = job.train, job.val
    if train.kind == lists.LMDB:
        job.decisions.append(Decision("data", f"LMDB {train.path}, {val.path}", "given",
                                      "--train/--val"))
        return
    per_class = ", ".join(f"{c}: {n}" for c, n in train.per_class.items())
    shown = ", ".join(f"{i}: {n}" for i, n in enumerate(job.class_names[:10]))
    more = " ..." if len(job.class_names) > 10 else ""
    value = f"{job.classes} ({shown}{more})" if shown else str(job.classes)
    job.decisions.append(Decision("classes", value,
                                  f"labels 0..{job.classes - 1} in {train.path} "
                                  f"({train.count} images; per class {per_class}); "
                                  f"{val.count} validation images",
                                  "--classes N / --labels FILE; renumber the lists"))
    order = ("sorted by class: without shuffling every batch would hold one class"
             if train.sorted_by_class else "not sorted by class")
    job.decisions.append(Decision("shuffle", "TRAIN only", f"the training list is {order}; "
                                  f"Caffe's ImageData shuffles it every epoch", "edit train_val"))
    job.decisions.append(Decision("root_folder", train.root_folder or "(none)",
                                  train.root_reason, "--root-folder DIR"))
    if val.root_folder != train.root_folder:
        job.decisions.append(Decision("val root_folder", val.root_folder or "(none)",
                                      val.root_reason, "--root-folder DIR"))
    for source in (train, val):
        if "NOT verified" in source.root_reason:
            job.notes.append(f"root_folder {source.root_folder} of {source.path}: "
                             f"{source.root_reason}")


def _weights_for_script(job: Job, options: Options) -> Optional[str]:
    strategy = next(d.value for d in job.decisions if d.topic == "strategy")
    if not options.weights:
        if strategy != "from-scratch":
            job.notes.append(f"no --weights: train.sh loads no pretrained weights, so every "
                             f"layer starts from its filler, yet {strategy} assumes pretrained "
                             f"ones; add -weights to train.sh or rerun with --weights")
        return None
    if strategy == "from-scratch":
        job.notes.append("from-scratch: train.sh passes no -weights (no layer name matches)")
        return None
    return os.path.abspath(options.weights)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_").lower() or "finetune"
