"""R-FCN: position-sensitive score maps pooled by PSROIPooling.

The class branch convolution makes ``(C + 1) x k x k`` maps for PSROIPooling's
``output_dim: C + 1`` and ``group_size: k``; both change together.  The box
branch makes ``8 x k x k`` maps (class-agnostic, ``output_dim: 8``: kept as is,
weights and name too) or ``4 x (C + 1) x k x k`` (class-specific: changed).
Python layers' ``'num_classes'`` and test-net Reshapes change as for Faster R-CNN.
"""
from __future__ import annotations

from typing import Optional

from .common import (all_graphs, below, param_keys, python_class_keys, reaches_softmax,
                     reshape_settings, top_k_settings, unique_layers)
from .plan import Classes, Head, InputDim, Plan, Setting
from .walk import num_output, trace_up

NAME = "r-fcn"
POOL = "PSROIPooling"


def plan(ptx_file, classes: Classes, options=None) -> Optional[Plan]:
    graph_list = all_graphs(ptx_file)
    pools = [(g, l) for g in graph_list for l in g.layers() if l.type == POOL]
    scored = [(g, l) for g, l in pools if reaches_softmax(g, l)]
    if not scored:
        return None
    old = output_dim(scored[0][1])
    outputs, why = classes.with_background()
    result = Plan(NAME, keep_blob_names=True)
    found = python_class_keys(ptx_file, graph_list)
    agnostic = False
    for graph, pool in pools:
        dim = output_dim(pool)
        if (graph, pool) in scored or dim == old and pool.name in {p.name for _, p in scored}:
            _branch(result, graph, pool, outputs, why, old)
        elif dim == 4 * old:
            _branch(result, graph, pool, 4 * outputs, f"4 x ({why})", 4 * old)
        elif dim == 8:
            agnostic = True
    result.param_keys += param_keys([(l, v) for l, v in found if not (agnostic and v == 2)],
                                    outputs, why)
    if agnostic:
        result.notes.append("box branch is class-agnostic (output_dim 8): kept with its "
                            "weights" + ("; the ROI target layer's 'num_classes': 2 kept"
                                         if any(v == 2 for _, v in found) else ""))
    result.heads = _unique_heads(result.heads)
    result.input_dims = list({(d.name, d.axis): d for d in result.input_dims}.values())
    result.settings = list({(s.index, s.path, s.item): s for s in result.settings}.values())
    return result


def output_dim(pool) -> Optional[int]:
    block = pool.node.message("psroi_pooling_param")
    value = block.scalar("output_dim") if block is not None else None
    return value if isinstance(value, int) else None


def group_size(pool) -> int:
    block = pool.node.message("psroi_pooling_param")
    value = block.scalar("group_size") if block is not None else None
    return value if isinstance(value, int) and value > 0 else 1


def _branch(result, graph, pool, dim, why, old_dim) -> None:
    k = group_size(pool)
    if output_dim(pool) != dim:
        result.settings.append(Setting(pool.index, pool.name, ("psroi_pooling_param",
                                                               "output_dim"), dim, why))
    heads = trace_up(graph, pool, 0).heads
    if not heads:
        _input_maps(result, graph, pool, dim, k, old_dim, why)
    for head in heads:
        if num_output(head) == old_dim * k * k:
            result.heads.append(Head(head.name, dim * k * k, f"{why}, x {k}x{k} cells"))
        else:
            result.notes.append(f"'{head.name}' has {num_output(head)} outputs, not "
                                f"{old_dim} x {k} x {k} for '{pool.name}': left as it is")
    shown = unique_layers(below(graph, pool))
    result.settings += reshape_settings(shown, old_dim, dim, why)
    result.settings += top_k_settings(shown, dim)


def _unique_heads(heads) -> list:
    return list({h.layer: h for h in heads}.values())


def _input_maps(result, graph, pool, dim, k, old_dim, why) -> None:
    """Score maps fed as a net input (a deploy net of the R-FCN head alone): its declared
    channels change with ``output_dim``."""
    blob = graph.producer(pool, 0)
    if blob is None or blob.producer is not None:
        return
    for net_input in graph.net.inputs:
        shape = net_input.shape
        if net_input.name == blob.name and shape and len(shape) > 1 and \
                shape[1] == old_dim * k * k:
            result.input_dims.append(InputDim(net_input.name, 1, dim * k * k,
                                              f"{why}, x {k}x{k} cells"))
