"""Editing the files of one model together: train, test and deploy nets (or a
solver's nets) get the same passes, and the results must agree.

A fine-tuned model is trained from ``train.prototxt``, evaluated with
``test.prototxt`` and served with ``deploy.prototxt``; Caffe moves weights
between them by layer name.  So after an edit, every layer name the files share
must have the same output count in each (or the snapshot will not load into the
deploy net), a head renamed in one file must not survive under its old name in
another (it would be copied from the pretrained weights there), and the class
count (``census``) must be one number across files.  Disagreements the files
already had before the edit are not the edit's doing and are not judged.
"""
from __future__ import annotations

import os
from typing import Dict, List, Sequence

from ..errors import PtxError
from .census import census


def edit_model(ptx_files: Sequence, passes) -> List:
    """``passes.driver.edit`` on each file; PtxError when the results disagree."""
    from ..api import PtxFile
    from ..passes.driver import edit
    outcomes = [edit(f, passes) for f in ptx_files]
    after = [PtxFile(o.text, f.path, f.schema_path) for f, o in zip(ptx_files, outcomes)]
    problems = _disagreements(after)
    old = set(_disagreements(list(ptx_files)))
    new = [p for p in problems if p not in old]
    new += _survivors(ptx_files, after)
    if new:
        raise PtxError(f"edit refused: the model's files disagree after the edit: {new[0]}"
                       f"; nothing written")
    return outcomes


def _name(ptx_file) -> str:
    return os.path.basename(ptx_file.path or "<text>")


def _outputs(ptx_file) -> Dict[str, int]:
    from .walk import num_output
    return {layer.name: num_output(layer) for layer in ptx_file.net.layers
            if num_output(layer) is not None}


def _disagreements(files) -> List[str]:
    """Same-named layers with different output counts; different class counts."""
    out = []
    seen: Dict[str, tuple] = {}
    for ptx_file in files:
        for name, count in _outputs(ptx_file).items():
            first = seen.setdefault(name, (ptx_file, count))
            if first[1] != count:
                out.append(f"'{name}' has num_output {first[1]} in {_name(first[0])} but "
                           f"{count} in {_name(ptx_file)}")
    counts = []
    for ptx_file in files:
        places = census(ptx_file)
        found = {p.classes for p in places}
        if len(found) == 1:
            counts.append((ptx_file, found.pop(), places[0].shown))
    if len({count for _, count, _ in counts}) > 1:
        out.append("class counts " + ", ".join(f"{_name(f)} {count} ({shown})"
                                               for f, count, shown in counts))
    return out


def _survivors(before, after) -> List[str]:
    """Layers renamed away in one file but still there under the old name in another."""
    out = []
    names_before = [{l.name for l in f.net.layers} for f in before]
    names_after = [{l.name for l in f.net.layers} for f in after]
    for i, (old, new) in enumerate(zip(names_before, names_after)):
        for gone in sorted(old - new):
            for j, other in enumerate(names_after):
                if j != i and gone in other and gone in names_before[j]:
                    out.append(f"'{gone}' was renamed in {_name(after[i])} but kept in "
                               f"{_name(after[j])}, where Caffe would copy its old weights")
    return out


def solver_nets(solver_file) -> List[str]:
    """Paths of a solver's net files (net/train_net, then test_net), resolved from the
    working directory, else from the solver's folder, the repository root or a folder
    above it (solvers name nets from where the training script runs, often the
    repository root: py-faster-rcnn's ``models/pascal_voc/VGG16/...`` is four folders
    up), as ``ptx lint`` resolves them (``lint.roots``); PtxError when one is missing."""
    from ..lint.roots import folders_for
    solver = solver_file.solver
    refs = [r for r in (solver.net, solver.train_net) if r is not None] + list(solver.test_net)
    if not refs:
        raise PtxError("the solver names no net file (net, train_net, test_net)",
                       solver_file.path)
    folders = folders_for(solver_file.path or "solver.prototxt")
    paths = []
    for ref in refs:
        for candidate in [ref.path] + [os.path.join(f, ref.path) for f in folders]:
            if os.path.isfile(candidate):
                paths.append(candidate)
                break
        else:
            raise PtxError(f"net file '{ref.path}' not found (from the working directory or "
                           f"the solver's folder)", solver_file.path, ref.node.line, ref.node.col)
    return list(dict.fromkeys(paths))
