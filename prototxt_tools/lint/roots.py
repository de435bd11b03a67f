"""Where the relative paths of a solver (net files, snapshot_prefix) and of a net (data
sources, mean files) resolve: the folders ``caffe train`` may have been run from.

Caffe resolves them against its working directory, which ptx cannot know.  In a
tree of many models each model expects its own: so ptx tries, in order, ``--root``,
the folders the config's ``roots`` table gives for the file's path pattern, the
solver's own folder (a net's own folder when linted alone), the repository root
(the nearest folder above holding ``.git`` or ``.hg``), then the folders above the
solver's up to that root (up to ``MAX_UP`` of them without one): ``caffe train`` is
usually run from a project's top folder (``examples/mnist/lenet_solver.prototxt``).  A path that resolves only
against a later root is found, and the rule ``solver-root`` says which root worked:
that is where ``caffe train`` must run.
"""
from __future__ import annotations

import os
from typing import List, NamedTuple, Optional, Tuple

REPOSITORY_MARKERS = (".git", ".hg")
MAX_UP = 6


class Root(NamedTuple):
    """A folder paths may resolve against, and how messages name it."""

    label: str
    folder: str


def repository_root(path: str) -> Optional[str]:
    """The nearest folder at or above ``path``'s folder holding ``.git`` or ``.hg``."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if any(os.path.exists(os.path.join(folder, m)) for m in REPOSITORY_MARKERS):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _folders_above(path: str, stop) -> List[str]:
    """The folders above ``path``'s folder, nearest first, up to ``stop`` or ``MAX_UP``."""
    folder, out = os.path.dirname(os.path.abspath(path)), []
    while len(out) < MAX_UP and folder != stop:
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        out.append(parent)
        folder = parent
    return out


def folders_for(path: str) -> List[str]:
    """The folders a file's relative paths may resolve against, without a lint context
    (``ptx edit SOLVER`` finding its nets): its own folder, the repository root, then the
    folders above up to that root, as ``candidate_roots`` orders them."""
    repo = repository_root(path)
    folders = [os.path.dirname(os.path.abspath(path))] + ([repo] if repo else [])
    return list(dict.fromkeys(folders + _folders_above(path, repo)))


def _anchor(context) -> Tuple[str, str]:
    """(file whose folder is a root, how to name that folder)."""
    if context.role is not None:
        return context.role.solver_path, "the solver's folder"
    return context.path, ("the solver's folder" if context.kind == "solver" else "the net's folder")


def candidate_roots(context) -> List[Root]:
    """Every root to try for the file under lint, in order, each folder once.  Cached per
    file: each solver path and data source asks, and each answer walks up to the
    repository root and resolves every folder (about 1 ms)."""
    key = "candidate-roots"
    if key not in context._cache:
        context._cache[key] = _candidate_roots(context)
    return context._cache[key]


def _candidate_roots(context) -> List[Root]:
    from .config import glob_match
    anchor, own_label = _anchor(context)
    roots = [Root("--root", context.options.root)]
    roots += [Root(f"the config root for {pattern!r}", folder)
              for pattern, folder in context.config_roots.items() if glob_match(anchor, pattern)]
    if os.path.isfile(anchor):
        roots.append(Root(own_label, os.path.dirname(anchor) or "."))
        repo = repository_root(anchor)
        if repo is not None:
            roots.append(Root("the repository root", repo))
        roots += [Root("a folder above it", folder) for folder in _folders_above(anchor, repo)]
    unique, seen = [], set()
    for root in roots:
        key = os.path.realpath(root.folder)
        if key not in seen:
            seen.add(key)
            unique.append(root)
    return unique


def locate(context, path: str, exists=os.path.exists) -> Optional[Tuple[str, Root]]:
    """(resolved path, the root it resolved against) for the first root where ``exists``
    holds; an absolute path is itself or nothing; None when no root works."""
    from .files import tidy
    if os.path.isabs(path):
        return (tidy(path), Root("its absolute path", "/")) if exists(path) else None
    for root in candidate_roots(context):
        full = tidy(os.path.join(root.folder, path))
        if exists(full):
            return full, root
    return None


def tried(context) -> str:
    """The roots tried, for a message: ``--root '.', the solver's folder 'models/a', the 3
    folders above it``."""
    roots = candidate_roots(context)
    named = [f"{root.label} {root.folder!r}" for root in roots if root.label != "a folder above it"]
    above = sum(1 for root in roots if root.label == "a folder above it")
    if above:
        named.append(f"the {above} folder{'s' if above > 1 else ''} above it")
    return ", ".join(named)
