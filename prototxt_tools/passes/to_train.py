"""``--to-train``: a deploy net becomes a train_val net (the inverse of ``--to-deploy``).

Three steps, each on the result of the previous one (``compose.run_steps``):

1. deprecated ``input``/``input_dim`` fields become an Input layer (Caffe's own upgrade);
2. the Input layer -- or, in a train_val, its data layers -- is replaced by a TRAIN and
   a TEST data layer reading the given lists (ImageData) or LMDBs (Data), with a
   transform matching the input the net was fed (``train_layers``);
3. a net without a loss gets one: its output Softmax becomes a SoftmaxWithLoss on the
   label, followed by TEST-phase Accuracy layers, top-1 and top-5 (top-5 only with at
   least 5 classes: Caffe refuses ``top_k`` above the class count).  A net that has
   a loss keeps it; its Accuracy layers with ``top_k`` above the class count are
   removed (a 3-class GoogLeNet cannot measure top-5).

A net fed by several inputs (Faster R-CNN's ``data`` + ``im_info``) is refused: one image
input is what an image list can feed.
"""
from __future__ import annotations

import os
from functools import partial
from typing import Optional, Sequence

from ..caffe.datashapes import data_layer_shapes, is_data_layer
from ..edits import TextEdit
from ..edits.fields import insert_items, quoted_like, remove_field, render_items
from ..edits.layout import detect_style, indent_of, line_end, line_start
from ..errors import PtxError
from ..shapes.core import dims_text
from ..upgrade import net_input
from .base import TEST, TRAIN, EditResult, Option, Pass, require_v2, unchanged
from .compose import run_steps
from .train_layers import IMAGENET_BGR_MEAN, DataPlan, accuracy_layer, data_layer

LABEL = "label"
# Layer types that make a net a detector: what an image list cannot feed.
DETECTION_TYPES = ("PriorBox", "DetectionOutput", "MultiBoxLoss", "AnnotatedData", "ROIPooling",
                   "Proposal", "SmoothL1Loss", "PSROIPooling", "Region", "Yolo")


def run(ptx_file, train_source: str, val_source: str, batch: int = 32,
        test_batch: Optional[int] = None, lmdb: bool = False, root_folder: str = "",
        resize: Optional[int] = None, mean_file: Optional[str] = None,
        mean_values: Sequence[float] = (), scale: Optional[float] = None,
        classes: Optional[int] = None, input_shape: Optional[Sequence[int]] = None,
        val_root_folder: Optional[str] = None) -> EditResult:
    require_v2(ptx_file)
    if batch <= 0 or (test_batch is not None and test_batch <= 0):
        raise PtxError("--to-train wants positive batch sizes")
    plan = DataPlan(train_source, val_source, (), batch, test_batch or batch, lmdb, root_folder,
                    val_root_folder=val_root_folder, resize=resize, mean_file=mean_file,
                    mean_values=tuple(mean_values), scale=scale)
    steps = [_inputs_to_layer, partial(_data_step, plan=plan, input_shape=input_shape),
             partial(_loss_step, classes=classes)]
    result = run_steps(ptx_file, steps)
    if not result.edits:
        return unchanged("the data layers already read these sources, with this transform, "
                         "and the net has its loss and accuracies")
    result.notes += plan.notes
    return result


def _inputs_to_layer(ptx_file) -> EditResult:
    outcome = net_input.run(ptx_file.doc)
    return EditResult(outcome.edits, [c.message for c in outcome.changes])


def refuse_detection(ptx_file, who: str = "--to-train") -> None:
    """Detection nets: 'not supported yet', naming what is missing."""
    detection = sorted({l.type for l in ptx_file.net.layers if l.type in DETECTION_TYPES})
    if detection:
        raise PtxError(f"{who}: not supported yet for detection nets (this one has "
                       f"{', '.join(detection)}): they need box-annotated data layers "
                       f"(AnnotatedData with a labelmap, or a Python RoI data layer), which "
                       f"ptx cannot write from an image list; the heads alone can be replaced "
                       f"with `ptx edit NET --replace-head N` (task-aware)", ptx_file.path)


def _providers(ptx_file) -> list:
    refuse_detection(ptx_file)
    found = [l for l in ptx_file.net.layers if l.type == "Input" or is_data_layer(l)]
    if not found:
        raise PtxError("--to-train: the net has no Input or data layer to replace "
                       "(nothing feeds it images)", ptx_file.path)
    inputs = [top for l in found if l.type == "Input" for top in l.tops]
    if len(inputs) > 1:
        raise PtxError(f"--to-train: not supported yet: the net takes {len(inputs)} inputs "
                       f"({', '.join(inputs)}); an image list feeds one image input "
                       f"(detection nets need their own data layers)", ptx_file.path)
    return found


def _data_step(ptx_file, plan: DataPlan, input_shape) -> EditResult:
    providers = _providers(ptx_file)
    first = providers[0]
    in_train = {l.index for l in ptx_file.graph(TRAIN).layers()}
    train = next((l for l in providers if l.index in in_train), first)
    plan.shape = tuple(input_shape) if input_shape else _shape(ptx_file, train)
    if len(plan.shape) != 4:
        raise PtxError(f"--to-train needs an N,C,H,W image input, the net is fed "
                       f"{dims_text(plan.shape)} (give --input-shape)", ptx_file.path)
    _fill_transform(plan, train)
    if plan.lmdb and plan.crop is None:
        raise PtxError("--to-train: a non-square input cannot be fed from an LMDB (Data layers "
                       "crop squares and cannot resize); use image lists", ptx_file.path)
    tops = [first.tops[0] if first.tops else "data",
            first.tops[1] if is_data_layer(first) and len(first.tops) > 1 else LABEL]
    style = detect_style(ptx_file.doc)
    quote = partial(quoted_like, None, style=style)
    indent = indent_of(ptx_file.text, first.field.start)
    lines = []
    for phase in (TRAIN, TEST):
        items = data_layer(plan, first.name, tops, phase, lambda s: quote(s))
        lines += render_items([("layer", items)], indent, style)
    at = line_start(ptx_file.text, first.field.start)
    edits = [TextEdit(at, at, style.newline.join(lines) + style.newline)]
    edits += [remove_field(l.field) for l in providers]
    kind = "Data (LMDB)" if plan.lmdb else "ImageData"
    changes = [f"{kind} TRAIN/TEST layers '{first.name}' ({', '.join(tops)}) replace "
               f"{', '.join(dict.fromkeys(l.type + ' ' + repr(l.name) for l in providers))}"]
    return EditResult(edits, changes)


def _shape(ptx_file, layer) -> tuple:
    if layer.type == "Input":
        shape = layer.node.message("input_param")
        shape = shape.message("shape") if shape is not None else None
        dims = [int(d) for d in shape.scalars("dim")] if shape is not None else []
        if dims:
            return tuple(dims)
        raise PtxError(f"--to-train: Input '{layer.name}' has no shape; give --input-shape",
                       ptx_file.path)
    return tuple(data_layer_shapes(layer, {}).shapes[0][1])


def _fill_transform(plan: DataPlan, layer) -> None:
    """Mean and scale: given, else the net's own (a train_val's data layer), else ImageNet's."""
    block = layer.node.message("transform_param")
    own_file = block.scalar("mean_file") if block is not None else None
    own_values = [float(v) for v in block.scalars("mean_value")] if block is not None else []
    if plan.scale is None and block is not None and block.scalar("scale") is not None:
        plan.scale = float(block.scalar("scale"))
    if plan.mean_file or plan.mean_values:
        return
    if own_values:
        plan.mean_values = tuple(own_values)
        return
    if own_file and os.path.isfile(own_file):
        plan.mean_file = os.path.abspath(own_file)
        return
    if own_file:
        plan.notes.append(f"the net's mean_file {own_file} is not found from here: ImageNet's "
                          f"BGR means 104, 117, 123 are used instead (give --mean-file)")
    if plan.shape[1] == 3:
        plan.mean_values = IMAGENET_BGR_MEAN
        if not own_file:
                plan.notes.append("mean_value 104, 117, 123 (ImageNet BGR means) assumed: the net "
                              "says nothing about its preprocessing; check the model's README")


def _loss_step(ptx_file, classes: Optional[int]) -> EditResult:
    graph = ptx_file.graph(TRAIN)
    if graph.loss_layers():
        return _drop_unmeasurable_accuracy(ptx_file, classes)
    softmax = [l for l in graph.layers() if l.type == "Softmax" and l.bottoms]
    if not softmax:
        last = graph.layers()[-1] if graph.layers() else None
        ends = f" (its last layer, '{last.name}', is a {last.type})" if last is not None else ""
        raise PtxError(f"--to-train: not an image classifier: no loss and no Softmax output to "
                       f"turn into one{ends}", ptx_file.path)
    layer = softmax[-1]
    _refuse_dense(ptx_file, layer)
    style = detect_style(ptx_file.doc)
    quote = partial(quoted_like, None, style=style)
    taken = {top for l in ptx_file.net.layers for top in l.tops}
    loss_top = "loss" if "loss" not in taken else layer.tops[0]
    node = layer.node
    edits = [TextEdit(node.get("type").value.start, node.get("type").value.end,
                      quoted_like(node.get("type").value, "SoftmaxWithLoss", style)),
             insert_items(node, [("bottom", quote(LABEL))], style, after=node.get_all("bottom")[-1])]
    if layer.tops and loss_top != layer.tops[0]:
        top = node.get_all("top")[0].value
        edits.append(TextEdit(top.start, top.end, quoted_like(top, loss_top, style)))
    names = {l.name for l in ptx_file.net.layers}
    if loss_top == "loss" and "loss" not in names and node.get("name") is not None:
        name = node.get("name").value
        edits.append(TextEdit(name.start, name.end, quoted_like(name, "loss", style)))
    n = classes or _head_outputs(ptx_file, graph, layer)
    edits.append(_accuracy_after(ptx_file, layer, n, style, quote))
    ks = [k for k in (1, 5) if n is None or k <= n]
    changes = [f"'{layer.name}': Softmax -> SoftmaxWithLoss on '{layer.bottoms[0]}' and "
               f"'{LABEL}' (top '{loss_top}')",
               f"Accuracy (TEST) top-{', top-'.join(map(str, ks))} on '{layer.bottoms[0]}'"]
    notes = [] if 5 in ks else [f"no top-5 accuracy: {n} classes (Caffe refuses top_k above "
                                f"the class count)"]
    return EditResult(edits, changes, notes)


def _refuse_dense(ptx_file, softmax) -> None:
    """A Softmax over a spatial map is per-pixel classification: one label per image
    cannot train it."""
    from ..shapes import infer_file
    try:
        shape = infer_file(ptx_file, TEST).shape(softmax.bottoms[0])
    except PtxError:
        return
    if shape is not None and len(shape) > 2 and any(d > 1 for d in shape[2:]):
        raise PtxError(f"--to-train: not supported yet: '{softmax.name}' classifies every "
                       f"position of a {dims_text(shape)} map (segmentation); that "
                       f"needs label images, not one label per image", ptx_file.path)


def _accuracy_after(ptx_file, layer, n: Optional[int], style, quote) -> TextEdit:
    prediction = layer.bottoms[0]
    layers = [accuracy_layer("accuracy", prediction, LABEL, 1, quote)]
    if n is None or n >= 5:
        layers.append(accuracy_layer("accuracy_top5", prediction, LABEL, 5, quote))
    indent = indent_of(ptx_file.text, layer.field.start)
    lines = [line for items in layers for line in render_items([("layer", items)], indent, style)]
    at = line_end(ptx_file.text, layer.field.end)
    return TextEdit(at, at, style.newline + style.newline.join(lines))


def _head_outputs(ptx_file, graph, softmax) -> Optional[int]:
    """num_output of the layer producing the Softmax's input, through single-input layers."""
    current = graph.producer_layer(softmax, 0)
    while current is not None:
        for block in ("inner_product_param", "convolution_param"):
            msg = current.node.message(block)
            if msg is not None and msg.scalar("num_output") is not None:
                return int(msg.scalar("num_output"))
        if len(current.bottoms) != 1:
            return None
        current = graph.producer_layer(current, 0)
    return None


def _drop_unmeasurable_accuracy(ptx_file, classes: Optional[int]) -> EditResult:
    if classes is None:
        return EditResult()
    edits, dropped = [], []
    for layer in ptx_file.net.layers:
        block = layer.node.message("accuracy_param") if layer.type == "Accuracy" else None
        top_k = block.scalar("top_k") if block is not None else None
        if top_k is not None and int(top_k) > classes:
            edits.append(remove_field(layer.field))
            dropped.append(layer.name)
    if not dropped:
        return EditResult()
    return EditResult(edits, [f"dropped Accuracy {', '.join(dropped)}: top_k above the "
                              f"{classes} classes (Caffe refuses it)"])


def _params(_value, options) -> dict:
    from ..finetuning.lists import is_lmdb
    from .to_deploy import _shape
    if not options.train_source or not options.val_source:
        raise PtxError("--to-train needs --train-source LIST and --val-source LIST")
    if options.batch is not None and options.batch <= 0:
        raise PtxError(f"--batch wants a positive integer, got {options.batch}")
    return {"train_source": options.train_source, "val_source": options.val_source,
            "batch": options.batch or 32, "lmdb": is_lmdb(options.train_source),
            "root_folder": options.root_folder or "", "input_shape": _shape(options.input_shape),
            "mean_file": os.path.abspath(options.mean_file) if options.mean_file else None}


def _options():
    from .to_deploy import INPUT_SHAPE
    return (Option("--train-source", {"metavar": "LIST", "help": "--to-train: training list "
                                      "('path label' per line) or LMDB folder"}),
            Option("--val-source", {"metavar": "LIST", "help": "--to-train: validation list "
                                    "or LMDB folder"}),
            Option("--batch", {"type": int, "metavar": "N",
                               "help": "--to-train: training batch size (default 32)"}),
            Option("--root-folder", {"metavar": "DIR", "help": "--to-train: folder the lists' "
                                     "image paths are relative to"}),
            Option("--mean-file", {"metavar": "BINARYPROTO", "help": "--to-train: mean image "
                                   "(default: the net's own mean, else ImageNet's BGR means)"}),
            INPUT_SHAPE)


TO_TRAIN = Pass("to_train", run, "deploy -> train_val (data layers on lists, loss, accuracy)",
                None, _params, _options())
