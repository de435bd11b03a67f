"""``--replace-head N [--head L ...] [--name NEW | --suffix S] [--head-lr-mult W,B]``.

For each head (found by ``heads.find_heads`` or named with ``--head``): rename it
so Caffe starts it fresh instead of copying weights by name (and rewire its
consumers), set num_output to N, raise its learning rate (lr_mult 10 for weights,
20 for the bias by default), and give it a weight_filler and bias_filler when it
has none -- Caffe's default filler is constant 0.  Layers sharing a head's
parameters by name (siamese twins) are replaced along with it.  The fillers written are
``gaussian std 0.01`` and ``constant 0``, the BVLC reference classifiers' choice.
Each step runs on the result of the previous one (``compose.run_steps``).
"""
from __future__ import annotations

from functools import partial
from typing import List, Optional, Sequence

from ..errors import PtxError
from . import mults, num_output, rename
from .base import EditResult, layers_named, require_v2
from .compose import run_steps
from .freeze import blob_count
from .heads import find_heads
from .text import detect_style, insert_items, quoted_like

DEFAULT_SUFFIX = "_new"
DEFAULT_LR = (10.0, 20.0)


def run(ptx_file, n: int, heads: Sequence[str] = (), name: Optional[str] = None,
        suffix: Optional[str] = None, lr_mult: Sequence[float] = DEFAULT_LR) -> EditResult:
    require_v2(ptx_file)
    if not isinstance(n, int) or n <= 0:
        raise PtxError(f"--replace-head wants a positive number of outputs, got {n!r}")
    if name and suffix:
        raise PtxError("give --name or --suffix, not both")
    chosen = _with_twins(ptx_file, list(heads) or find_heads(ptx_file))
    if not chosen:
        raise PtxError("no classifier head found (no InnerProduct/Convolution reaches a loss, "
                       "Accuracy or Softmax through single-input layers); name it with --head",
                       ptx_file.path)
    if name and len(chosen) > 1:
        raise PtxError(f"--name renames one head, but there are {len(chosen)} "
                       f"({', '.join(chosen)}); use --suffix", ptx_file.path)
    for head in chosen:
        num_output.block_name(layers_named(ptx_file, head)[0], ptx_file.path)
    steps = []
    for head in chosen:
        new = name or _suffixed(head, suffix or DEFAULT_SUFFIX)
        steps += [partial(rename.run, old=head, new=new),
                  partial(num_output.run, layer=new, n=n),
                  partial(mults.run_fitted, layer=new, values=list(lr_mult)),
                  partial(_filler_step, layer=new)]
    result = run_steps(ptx_file, steps)
    result.notes = [n for n in result.notes if "keeps its name" not in n]
    return result


def _with_twins(ptx_file, heads: List[str]) -> List[str]:
    """Heads plus the layers sharing their parameters by name (siamese twins): a
    shared blob must keep one shape, so twins get the same new head."""
    shared = {spec.name for head in heads for view in ptx_file.net.layer_by_name(head)
              for spec in view.params if spec.name}
    twins = [view.name for view in ptx_file.net.layers
             if any(spec.name in shared for spec in view.params)]
    return list(dict.fromkeys(heads + twins))


def _suffixed(head: str, suffix: str) -> str:
    return head if head.endswith(suffix) else head + suffix


def _filler_step(ptx_file, layer: str) -> EditResult:
    style = detect_style(ptx_file.doc)
    edits = []
    for view in layers_named(ptx_file, layer):
        block = view.node.message(num_output.block_name(view))
        fillers = [("weight_filler", [("type", quoted_like(None, "gaussian", style)),
                                      ("std", "0.01")])]
        if blob_count(view) > 1:
            fillers.append(("bias_filler", [("type", quoted_like(None, "constant", style)),
                                            ("value", "0")]))
        missing = [item for item in fillers if not block.has(item[0])]
        if missing:
            edits.append(insert_items(block, missing, style))
    changes = [f"'{layer}': weight/bias fillers added (Caffe's default is constant 0)"]
    return EditResult(edits, changes if edits else [])
