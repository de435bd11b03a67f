"""A model's files together: a deploy net and the training net beside it.

A model usually ships ``train_val.prototxt`` (trained) and ``deploy.prototxt``
(run with the trained weights, copied by layer name).  Linted alone, each looks
fine; together they can disagree on a layer's parameters (the copy fails), or
the deploy output can read another head than the one the loss trained.  The
partner of a deploy file is found by the usual names in its folder:
``X_deploy.prototxt`` -> ``X_train_val.prototxt`` (``trainval``, ``train-val``,
``train_test``, ``train``), then ``train_val.prototxt`` and the like when the folder
holds no other deploy net (several deploy nets: whose that training net is, is unknown) -- after the
config's ``deploy`` table (deploy glob -> training net) and the files named
together on the command line (a deploy file and one training net).
"""
from __future__ import annotations

import os
import re
from typing import List, Optional

TRAIN_WORDS = ("train_val", "trainval", "train-val", "train_test", "train")
_DEPLOY = re.compile("deploy", re.IGNORECASE)


def is_deploy_file(path: str) -> bool:
    """A deploy net by its file name (``deploy.prototxt``, ``ResNet-50-deploy.prototxt``)."""
    return bool(_DEPLOY.search(os.path.basename(path)))


def partner_candidates(path: str) -> List[str]:
    """Training-net files that may go with the deploy file ``path``, most specific first."""
    folder, name = os.path.split(path)
    stem, ext = os.path.splitext(name)
    names = [_DEPLOY.sub(word, stem, count=1) + ext for word in TRAIN_WORDS]
    if not _other_deploy_nets(folder, name):
        names += [word + ext for word in TRAIN_WORDS] + [word + ".prototxt" for word in TRAIN_WORDS]
    out, seen = [], set()
    for candidate in names:
        full = os.path.join(folder, candidate)
        if candidate != name and full not in seen:
            seen.add(full)
            out.append(full)
    return out


def _other_deploy_nets(folder: str, name: str) -> bool:
    """Whether the folder holds another deploy net: its plain ``train_val.prototxt`` is then
    one model's, which one is unknown (``deploy_resnet50`` is not ``train_val``'s resnet18)."""
    try:
        entries = os.listdir(folder or ".")
    except OSError:
        return False
    return any(entry != name and is_deploy_file(entry)
               and os.path.splitext(entry)[1] in (".prototxt", ".pt", "")
               for entry in entries)


def training_partner(context):
    """The PtxFile of the training net beside the deploy file under lint, or None (not a
    deploy file, no partner, or a partner that does not parse as a net).  Cached."""
    key = "training-partner"
    if key in context._cache:
        return context._cache[key]
    found = None
    if context.kind == "net" and context.net is None and is_deploy_file(context.path):
        together = _named_together(context)
        for candidate in _configured(context) + together + partner_candidates(context.path):
            if os.path.isfile(candidate):
                found = _load_net(candidate, context.options.schema)
                if found is not None and (candidate not in together or _related(context, found)):
                    break
                found = None
    context._cache[key] = found
    return found


def _configured(context) -> List[str]:
    from .config import glob_match
    return [net for pattern, net in context.config_deploy.items()
            if glob_match(context.path, pattern)]


def _named_together(context) -> List[str]:
    """The other net when exactly two files are named on the command line, this deploy file
    and a net not named as a deploy net or a solver."""
    named = context.options.named_files
    mine = os.path.abspath(context.path)
    others = [p for p in named if os.path.abspath(p) != mine
              and not is_deploy_file(p) and "solver" not in os.path.basename(p).lower()]
    return others if len(named) == 2 and len(others) == 1 else []


def _related(context, partner) -> bool:
    """Two files named together are one model only if they share a learnable layer's name
    (a pre-commit run naming two unrelated changed files is not a model)."""
    from ..net.blobs import learnable_blob_count
    def learnable(net):
        return {layer.name for layer in net.layers if (learnable_blob_count(layer) or 0) > 0}
    return bool(learnable(context.the_net) & learnable(partner.net))


def _load_net(path: str, schema: Optional[str]):
    from ..api import load
    from ..errors import PtxError
    try:
        loaded = load(path, schema=schema)
        return loaded if loaded.kind == "net" else None
    except PtxError:
        return None


def deploy_graph(context):
    """The deploy net as Caffe runs it (TEST; lint builds a net without phase rules
    once, as TRAIN, which is then the same net), or None."""
    return context.graph("TEST") or context.graph("TRAIN")


def train_graph(partner):
    """The partner's TRAIN graph, or None when it cannot be built."""
    from ..errors import PtxError
    try:
        return partner.graph("TRAIN")
    except PtxError:
        return None
