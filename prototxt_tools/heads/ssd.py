"""SSD: every confidence layer feeding MultiBoxLoss / DetectionOutput through
Permute, Flatten, Concat (and Reshape/Softmax in test nets).

A confidence layer has ``priors per location x (C + 1)`` outputs.  Forks change
the prior count (extra hard-coded priors, doubled counts), so priors per location
are read from the net as it stands: ``existing num_output / existing num_classes``,
cross-checked with the matching loc layer's ``num_output / 4``.  Loc layers do not
change.  ``num_classes`` of MultiBoxLoss, DetectionOutput and DetectionEvaluate,
and the class dimension of the conf Reshape, change with them.  A detection layer
with 2 classes beside one with more is a two-class anchor refinement head
(RefineDet's ARM): it and its confidence layers are left alone.
"""
from __future__ import annotations

from typing import Optional

from .common import all_graphs, reshape_settings, unique_layers
from .plan import Classes, Head, Plan, Setting
from .walk import num_output, trace_up

NAME = "ssd"
PARAMS = {"MultiBoxLoss": "multibox_loss_param", "DetectionOutput": "detection_output_param",
          "DetectionEvaluate": "detection_evaluate_param"}
THROUGH = ("Concat", "Eltwise")


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    graph_list = all_graphs(ptx_file)
    found = [(g, l) for g in graph_list for l in g.layers()
             if l.type in PARAMS and num_classes(l) is not None]
    if not found:
        return None
    old = max(num_classes(l) for _, l in found)
    outputs, why = classes.with_background()
    result = Plan(NAME, keep_blob_names=True)
    for graph, layer in found:
        if num_classes(layer) != old:
            result.notes.append(f"'{layer.name}' has num_classes {num_classes(layer)} "
                                f"(anchor refinement): left as it is")
            continue
        if old != outputs:
            result.settings.append(Setting(layer.index, layer.name,
                                           (PARAMS[layer.type], "num_classes"), outputs, why))
        if layer.type != "DetectionEvaluate":
            _conf_heads(result, graph, layer, old, outputs, why)
    result.heads = list({h.layer: h for h in result.heads}.values())
    result.settings = list({(s.index, s.path, s.item): s for s in result.settings}.values())
    return result if result.heads or result.settings else None


def num_classes(layer) -> Optional[int]:
    block = layer.node.message(PARAMS[layer.type])
    value = block.scalar("num_classes") if block is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _conf_heads(result, graph, layer, old, outputs, why) -> None:
    conf = trace_up(graph, layer, 1, THROUGH, ("Crop",))
    loc = trace_up(graph, layer, 0, THROUGH, ("Crop",))
    loc_by_input = {input_key(graph, h): h for h in loc.heads}
    for head in conf.heads:
        count = num_output(head)
        if count is None or count % old:
            result.notes.append(f"'{head.name}' has {count} outputs, not a multiple of "
                                f"{old} classes: left as it is; check it")
            continue
        priors = count // old
        _cross_check(result, head, priors, loc_by_input.get(input_key(graph, head)), old)
        _prior_box_check(result, graph, head, priors)
        result.heads.append(Head(head.name, priors * outputs,
                                 f"{priors} priors x ({why})"))
    shown = unique_layers(conf.passed)
    result.settings += reshape_settings(shown, old, outputs, why)


def input_key(graph, layer):
    blob = graph.producer(layer, 0) if layer.bottoms else None
    return None if blob is None else blob.key


def _cross_check(result, head, priors, loc, old) -> None:
    if loc is None:
        return
    count = num_output(loc)
    if count is not None and count not in (4 * priors, 4 * priors * old):
        result.notes.append(f"'{head.name}' makes {priors} priors per location, but "
                            f"'{loc.name}' has {count} outputs (not 4 x {priors}): the conf "
                            f"layer's count was used; check the PriorBox settings")


def _prior_box_check(result, graph, head, priors) -> None:
    """The PriorBox on the same feature map as a second opinion (``prior_box_layer.cpp``:
    aspect ratio 1, each other ratio once (and 1/ratio with ``flip``), per ``min_size``,
    plus one per ``max_size``).  A fork may add priors in code: the conf count wins."""
    feature = input_key(graph, head)
    for layer in graph.layers():
        if layer.type != "PriorBox" or not layer.bottoms or input_key(graph, layer) != feature:
            continue
        expected = prior_count(layer)
        if expected is not None and expected != priors:
            result.notes.append(f"'{head.name}' makes {priors} priors per location but "
                                f"PriorBox '{layer.name}' describes {expected}: the conf "
                                f"layer's count was used (forks add priors in code)")


def prior_count(layer):
    """Priors per location of a PriorBox layer from its parameters, or None."""
    block = layer.node.message("prior_box_param")
    if block is None:
        return None
    ratios = [1.0]
    for ratio in block.scalars("aspect_ratio"):
        if not isinstance(ratio, (int, float)) or ratio <= 0:
            return None
        flip = str(block.scalar("flip", "true")).lower() not in ("false", "f", "0")
        for value in ([ratio, 1.0 / ratio] if flip else [ratio]):
            if all(abs(value - r) > 1e-6 for r in ratios):
                ratios.append(value)
    sizes = [v for v in block.scalars("min_size") if isinstance(v, (int, float))]
    return len(ratios) * len(sizes) + len(block.scalars("max_size")) if sizes else None
