"""The two nets of a fine-tuning job: train_val (through ``ptx edit`` passes) and deploy.

Everything goes through the same driver as ``ptx edit`` (``passes.driver.edit``), so
each result is re-parsed and refused if it gains a graph or shape error in any phase.
"""
from __future__ import annotations

import os

from ..api import PtxFile, load
from ..errors import PtxError
from ..shapes.core import dims_text
from .decide import Decision, strategy_passes
from .lists import LMDB
from .names import DEPLOY, TRAIN_VAL


def build_nets(job, net: str, options) -> None:
    from ..passes.driver import edit
    from ..passes.heads import find_heads
    from ..passes.to_train import refuse_detection
    source = _current_format(job, load(net, options.schema))
    refuse_detection(source, "ptx finetune")
    strategy = next(d.value for d in job.decisions if d.topic == "strategy")
    old_heads = find_heads(source)
    headed = edit(source, [("to_train", _to_train_params(job, options)),
                           ("replace_head", {"n": job.classes})])
    job.heads = _final_names(find_heads(PtxFile(headed.text, source.path, options.schema)), strategy)
    outcome = edit(PtxFile(headed.text, source.path, options.schema), strategy_passes(strategy))
    job.changes += headed.changes + outcome.changes
    job.notes += headed.notes + [n for n in outcome.notes if n not in headed.notes]
    train_val = _fill_scratch(job, strategy, PtxFile(outcome.text, source.path, options.schema))
    train_val = _thaw_heads(job, PtxFile(train_val.text, os.path.join(job.out_dir, TRAIN_VAL),
                                         options.schema))
    job.files[TRAIN_VAL] = train_val.text
    job.files["name"] = str(train_val.doc.scalar("name") or "")
    shape = _deploy_shape(train_val)
    deploy = edit(train_val, [("to_deploy", {"input_shape": shape})])
    job.files[DEPLOY] = deploy.text
    job.decisions += _net_decisions(job, old_heads, shape)


def _fill_scratch(job, strategy: str, train_val: PtxFile) -> PtxFile:
    """From scratch, a layer without weight_filler starts at Caffe's default, constant 0,
    and a net of zeros gives no gradient to anything: such layers get ``msra`` (He et
    al.'s filler for ReLU nets); bias fillers default to constant 0, which is right."""
    from ..edits import apply_edits
    from ..edits.fields import insert_items, quoted_like
    from ..edits.layout import detect_style
    from ..net.blobs import WEIGHT_PARAM_BLOCK
    if strategy != "from-scratch":
        return train_val
    style = detect_style(train_val.doc)
    edits, filled = [], []
    for layer in train_val.net.layers:
        block = layer.node.message(WEIGHT_PARAM_BLOCK.get(layer.type, ""))
        if block is None or block.has("weight_filler"):
            continue
        filler = [("weight_filler", [("type", quoted_like(None, "msra", style))])]
        edits.append(insert_items(block, filler, style))
        filled.append(layer.name)
    if not filled:
        return train_val
    job.changes.append(f"weight_filler msra added to {len(filled)} layers without one")
    job.notes = [n for n in job.notes if not n.startswith("no weight_filler")]
    job.decisions.append(Decision("fillers", f"msra on {len(filled)} layers",
                                  "from scratch, Caffe's default filler (constant 0) leaves every "
                                  "layer at zero and no gradient flows", "edit weight_filler"))
    return PtxFile(apply_edits(train_val.text, edits), train_val.path, train_val.schema_path)


def _thaw_heads(job, train_val: PtxFile) -> PtxFile:
    """A strategy that freezes by position (--freeze-fraction) can freeze a new auxiliary
    head early in the file (GoogLeNet's loss1); a fresh head must learn, so it gets
    the head multipliers back."""
    from ..passes.driver import edit
    frozen = [h for h in job.heads for layer in train_val.net.layer_by_name(h)[:1]
              if layer.params and all(spec.lr_mult == 0 for spec in layer.params)]
    if not frozen:
        return train_val
    calls = [call for h in frozen for call in (("lr_mult", {"layer": h, "values": [10.0, 20.0]}),
                                               ("decay_mult", {"layer": h, "values": [1.0, 0.0]}))]
    outcome = edit(train_val, calls)
    job.changes += outcome.changes
    job.notes.append(f"the strategy froze the new head{'s' if len(frozen) > 1 else ''} "
                     f"{', '.join(frozen)}; a fresh head must learn: lr_mult 10/20, decay_mult 1/0 again")
    return PtxFile(outcome.text, train_val.path, train_val.schema_path)


def _final_names(heads, strategy: str) -> list:
    """The new heads' names after the strategy (from-scratch renames every learnable layer)."""
    from ..passes.strategy import SCRATCH_SUFFIX
    if strategy != "from-scratch":
        return heads
    return [h if h.endswith(SCRATCH_SUFFIX) else h + SCRATCH_SUFFIX for h in heads]


def _current_format(job, ptx_file) -> PtxFile:
    """V0/V1 nets and deprecated ``input`` fields are upgraded in memory, as Caffe would."""
    from ..upgrade import upgrade_text
    if ptx_file.format == "v2" and not ptx_file.doc.has("input"):
        return ptx_file
    result = upgrade_text(ptx_file.text, ptx_file.path)
    if result.needed:
        job.decisions.append(Decision("format", "upgraded to the current format",
                                      f"{ptx_file.path} is {ptx_file.format.upper()} or uses "
                                      f"deprecated input fields; Caffe upgrades it on load, "
                                      f"ptx writes the upgraded form",
                                      "ptx upgrade NET shows the upgrade alone"))
    return PtxFile(result.text, ptx_file.path, ptx_file.schema_path)


def _to_train_params(job, options) -> dict:
    train, val = job.train, job.val
    lmdb = train.kind == LMDB
    return {"train_source": os.path.abspath(train.path), "val_source": os.path.abspath(val.path),
            "batch": min(options.batch, _size(train, options.batch)),
            "test_batch": min(options.batch, _size(val, options.batch)),
            "lmdb": lmdb, "root_folder": "" if lmdb else train.root_folder,
            "val_root_folder": None if lmdb else val.root_folder,
            "mean_file": os.path.abspath(options.mean_file) if options.mean_file else None,
            "mean_values": tuple(options.mean_values),
            "classes": job.classes}


def _size(source, default: int) -> int:
    return source.count if source.kind != LMDB else default


def _deploy_shape(train_val: PtxFile) -> list:
    from ..caffe.datashapes import data_layer_shapes, is_data_layer
    layer = next(l for l in train_val.graph("TEST").layers() if is_data_layer(l))
    shape = list(data_layer_shapes(layer, {}).shapes[0][1])
    return [1] + shape[1:]


def _net_decisions(job, old_heads, shape) -> list:
    from ..passes.strategy import SCRATCH_SUFFIX
    heads = ", ".join(job.heads) or "(none found)"
    out = [Decision("head", f"{heads}: {job.classes} outputs, lr_mult 10/20, gaussian filler",
                    f"Caffe copies weights by layer name: the renamed head"
                    f"{'s' if len(job.heads) > 1 else ''} ({', '.join(old_heads) or 'old head'} "
                    f"before) start fresh with {job.classes} outputs; the pretrained layers learn "
                    f"at 1x", "ptx edit train_val.prototxt --num-output / --lr-mult")]
    data = _data_summary(job)
    out.append(Decision("transform", data, "matches the input the pretrained net was fed "
                        "(crop from its input size, mean as it used); mirror in TRAIN only",
                        "--mean-file / --mean-values; edit transform_param"))
    out.append(Decision("deploy", f"Input {dims_text(shape)}, Softmax 'prob'",
                        "the train_val through --to-deploy: same layers, same new head",
                        "ptx edit train_val.prototxt --to-deploy --input-shape N,C,H,W"))
    if any(h.endswith(SCRATCH_SUFFIX) for h in job.heads):
        out.append(Decision("renamed", f"every learnable layer gets {SCRATCH_SUFFIX}",
                            "from-scratch: no pretrained weight is copied", "--strategy"))
    return out


def _data_summary(job) -> str:
    from ..api import PtxFile as _File
    graph = _File(job.files[TRAIN_VAL], TRAIN_VAL).graph("TRAIN")
    layer = next((l for l in graph.layers() if l.type in ("ImageData", "Data")), None)
    if layer is None:
        raise PtxError("internal: the train_val has no TRAIN data layer")
    block = layer.node.message("transform_param")
    crop = block.scalar("crop_size") if block is not None else None
    mean = block.scalar("mean_file") if block is not None else None
    values = block.scalars("mean_value") if block is not None else []
    image = layer.node.message("image_data_param")
    size = (f"resize {image.scalar('new_height')}x{image.scalar('new_width')}, "
            if image is not None and image.scalar("new_height") else "")
    means = f"mean_file {mean}" if mean else f"mean_value {', '.join(map(str, values)) or 'none'}"
    return f"{size}crop {crop or 'none'}, {means}"
