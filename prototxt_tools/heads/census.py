"""Every place of a net that encodes the class count, and the count each implies.

The consistency rule (PTX309) and multi-file edits compare them: a Faster R-CNN
net whose ``roi-data`` says 21 classes while ``cls_score`` has 3 and
``bbox_pred`` 8 (= 4 x 2) trains garbage or aborts.  Counts include background
where the family has one, so ``cls_score 21`` and ``bbox_pred 84 = 4 x 21`` agree.
Class-agnostic box branches and two-class anchor refinement heads imply nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from . import rcnn, rfcn, segnet, ssd
from .common import all_graphs, python_class_keys, reaches_softmax
from .scores import CRF_TYPES, READOUTS, net_outputs

from .walk import ALL_INPUTS, FIRST_INPUT, learnable, num_output, trace_up


@dataclass
class Place:
    """``layer``'s ``what`` holds ``value``, implying ``classes`` classes; ``node`` is
    where to point (the value's node when found, else the layer)."""

    layer: object
    what: str
    value: int
    classes: int
    shown: str
    node: object = None
    group: object = -1  # the task: a label blob or one readout (multi-task nets have several)


def census(ptx_file) -> List[Place]:
    """Places of the first family with any (detection first), in file order."""
    graph_list = all_graphs(ptx_file)
    for reader in (_rfcn, _rcnn, _ssd, _scores):
        places = reader(ptx_file, graph_list)
        if places:
            return _unique(places)
    return []


def groups(places: List[Place]) -> List[List[Place]]:
    """Places that must agree with each other, group by group."""
    by_group: dict = {}
    for place in places:
        by_group.setdefault(place.group, []).append(place)
    return list(by_group.values())


def disagree(places: List[Place]) -> bool:
    return any(len({p.classes for p in group}) > 1 for group in groups(places))


def _unique(places) -> List[Place]:
    seen, out = set(), []
    for place in sorted(places, key=lambda p: (p.layer.index, p.what)):
        key = (place.layer.index, place.what, place.group)
        if key not in seen:
            seen.add(key)
            out.append(place)
    return out


def _node(layer, block: str, name: str):
    message = layer.node.message(block)
    found = message.get(name) if message is not None else None
    return found.value if found is not None else layer.node


def _output_place(layer, classes: int, shown: str) -> Place:
    block = {"InnerProduct": "inner_product_param"}.get(layer.type, "convolution_param")
    return Place(layer, "num_output", num_output(layer), classes, shown,
                 _node(layer, block, "num_output"))


def _python_places(ptx_file, graph_list, agnostic: bool) -> List[Place]:
    from .paramstr import param_str_node
    return [Place(layer, "param_str num_classes", value, value,
                  f"{layer.name} num_classes {value}", param_str_node(layer))
            for layer, value in python_class_keys(ptx_file, graph_list)
            if not (agnostic and value == 2)]


def _rcnn(ptx_file, graph_list) -> List[Place]:
    leaves = rcnn.roi_leaves(graph_list, rcnn.ROI_TYPES)
    scores = [(g, l) for g, l in leaves if reaches_softmax(g, l)]
    if not scores:
        return []
    places = [_output_place(l, num_output(l), f"{l.name} {num_output(l)}") for _, l in scores]
    boxes = [l for g, l in leaves if l.name not in {s.name for _, s in scores}]
    agnostic = rcnn.agnostic_boxes([(None, b) for b in boxes], num_output(scores[0][1]),
                              python_class_keys(ptx_file, graph_list))
    for box in boxes:
        count = num_output(box)
        if not agnostic and count and count % 4 == 0:
            places.append(_output_place(box, count // 4, f"{box.name} {count} = 4 x {count // 4}"))
    return places + _python_places(ptx_file, graph_list, agnostic)


def _rfcn(ptx_file, graph_list) -> List[Place]:
    pools = [(g, l) for g in graph_list for l in g.layers() if l.type == rfcn.POOL]
    scored = [(g, l) for g, l in pools if reaches_softmax(g, l)]
    if not scored:
        return []
    places, agnostic = [], False
    for graph, pool in pools:
        dim, k = rfcn.output_dim(pool), rfcn.group_size(pool)
        is_scores = pool.name in {p.name for _, p in scored}
        if dim is None or (not is_scores and dim == 8):
            agnostic = agnostic or dim == 8
            continue
        per = 1 if is_scores else 4
        places.append(Place(pool, "output_dim", dim, dim // per, f"{pool.name} output_dim {dim}",
                            _node(pool, "psroi_pooling_param", "output_dim")))
        for head in trace_up(graph, pool, 0).heads:
            count = num_output(head)
            if count and count % (k * k * per) == 0:
                places.append(_output_place(head, count // (k * k * per),
                                            f"{head.name} {count} = {count // (k * k)} x {k}x{k}"))
    return places + _python_places(ptx_file, graph_list, agnostic)


def _ssd(ptx_file, graph_list) -> List[Place]:
    found = [(g, l) for g in graph_list for l in g.layers()
             if l.type in ssd.PARAMS and ssd.num_classes(l) is not None]
    if not found:
        return []
    old = max(ssd.num_classes(l) for _, l in found)
    places = []
    for graph, layer in found:
        value = ssd.num_classes(layer)
        if value != old and value == 2:
            continue   # anchor refinement
        places.append(Place(layer, "num_classes", value, value,
                            f"{layer.name} num_classes {value}",
                            _node(layer, ssd.PARAMS[layer.type], "num_classes")))
        if layer.type != "DetectionEvaluate":
            places += _conf_places(graph, layer)
    return places


def _conf_places(graph, layer) -> List[Place]:
    """Conf layers whose loc partner gives the priors: conf / (loc / 4) classes."""
    conf = trace_up(graph, layer, 1, ssd.THROUGH, ("Crop",))
    loc = trace_up(graph, layer, 0, ssd.THROUGH, ("Crop",))
    loc_by_input = {ssd.input_key(graph, h): h for h in loc.heads}
    places = []
    for head in conf.heads:
        partner = loc_by_input.get(ssd.input_key(graph, head))
        count, loc_count = num_output(head), num_output(partner) if partner else None
        if count and loc_count and loc_count % 4 == 0 and count % (loc_count // 4) == 0:
            priors = loc_count // 4
            places.append(_output_place(head, count // priors,
                                        f"{head.name} {count} = {priors} priors x "
                                        f"{count // priors}"))
    return places


def _scores(ptx_file, graph_list) -> List[Place]:
    """Segmentation: the score layers and fixed upsampling feeding one readout carry the
    same count (FCN's fused scores, DeepLab's branches), and so do the heads of readouts
    reading one label blob (PSPNet's main and auxiliary scores, GoogLeNet's three
    classifiers): one task.  Classifiers feeding losses of different labels (multi-task
    nets: SIFT Flow's semantic and geometric classes) may differ: they are not compared."""
    places = []
    for graph in graph_list:
        losses = {layer.index for layer in graph.loss_layers()}
        readouts = [layer for layer in graph.layers()
                    if layer.type in READOUTS or layer.index in losses]
        for readout in readouts or net_outputs(graph):   # a deploy net: its outputs
            if readouts or not learnable(readout):           # (an output head stands alone)
                places += _one_readout(graph, readout)
    by_group: dict = {}
    for place in _unique(places):
        by_group.setdefault(place.group, []).append(place)
    return [p for group in by_group.values() if len(group) > 1 for p in group]


def _one_readout(graph, readout) -> List[Place]:
    trace = trace_up(graph, readout, 0, ALL_INPUTS, FIRST_INPUT + CRF_TYPES)
    upsampling = [l for l in trace.passed if l.type == "Deconvolution" and num_output(l)]
    places = [_output_place(l, num_output(l), f"{l.name} {num_output(l)}")
              for l in trace.heads + upsampling if num_output(l)]
    places += _weighting_places(readout)
    group = _task(readout)
    for place in places:
        place.group = group
    return places


def _task(readout):
    """What a readout's places are compared within: its label blob (readouts of one label
    are one task), else the readout itself (a Softmax, a net output)."""
    return ("label", readout.bottoms[1]) if len(readout.bottoms) > 1 else readout.index


def _weighting_places(loss) -> List[Place]:
    """SegNet's per-class loss weights, one per class where its Caffe reads them (it
    aborts at setup when their count is not the score's channel count)."""
    weights = segnet.class_weights(loss)
    if not weights or not segnet.weighted_by_label_freqs(loss):
        return []
    return [Place(loss, "class_weighting", len(weights), len(weights),
                  f"{loss.name} class_weighting {len(weights)} values", weights[0])]
