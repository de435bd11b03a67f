"""``--replace-head`` on the files of one model together (``heads.model.edit_model``, as
``ptx edit train test deploy`` and ``ptx edit solver`` run it), for every corpus model
with two or more net files (``sweep.model_groups``): it refuses when a file alone would
(one line), else the files agree afterwards -- the same renames, the same output count for
every layer name they share, one class count."""
from __future__ import annotations

import os

import pytest

import prototxt_tools
from corpus import CORPUS, corpus_available, files_of, require_corpus
from prototxt_tools.api import PtxFile
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.census import census
from prototxt_tools.heads.model import edit_model
from prototxt_tools.heads.walk import num_output

from . import sweep as sw

N = 3
PASSES = [("replace_head", {"n": N})]


def _groups():
    if not corpus_available():
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(members, id=name)
            for name, members in sw.model_groups(files_of("net"), files_of("solver"))]


def _loaded(entry) -> PtxFile:
    """The net as ``ptx edit`` gets it (V0/V1 upgraded first), under its own path."""
    return PtxFile(sw.sweep(entry, N).source, str(entry.path))


@pytest.mark.parametrize("members", _groups())
def test_model_files_agree_after_the_edit(members):
    require_corpus()
    alone = [sw.sweep(entry, N) for entry in members]
    if any(s.refusal for s in alone):
        with pytest.raises(PtxError) as caught:      # (a template may not even parse)
            edit_model([_loaded(entry) for entry in members], PASSES)
        assert "\n" not in str(caught.value)
        return
    files = [_loaded(entry) for entry in members]
    outcomes = edit_model(files, PASSES)
    results = [prototxt_tools.load(o.text) for o in outcomes]
    problems = _renames_differ(files, alone) + _outputs_differ(members, results)
    counts = {frozenset(p.classes for p in census(r)) for r in results} - {frozenset()}
    if len(counts) > 1:
        problems.append(f"class counts differ across the files: {sorted(map(sorted, counts))}")
    assert not problems, "\n".join(problems)


def _renames_differ(files, alone) -> list:
    """A layer name present in several files renamed alike in each (or in none)."""
    out = []
    names = [{layer.name for layer in f.net.layers} for f in files]
    for old in set().union(*(s.renames for s in alone)):
        news = {s.renames.get(old) for s, present in zip(alone, names) if old in present}
        if len(news) > 1:
            out.append(f"'{old}' becomes {sorted(map(str, news))} across the files")
    return out


def _outputs_differ(members, results) -> list:
    seen, out = {}, []
    for entry, result in zip(members, results):
        for layer in result.net.layers:
            count = num_output(layer)
            first = seen.setdefault(layer.name, (entry.rel, count))
            if count is not None and first[1] is not None and first[1] != count:
                out.append(f"'{layer.name}': {first[1]} in {first[0]}, {count} in {entry.rel}")
    return out


def test_a_solver_naming_nets_from_the_repository_root_is_followed(tmp_path, capsys):
    """py-faster-rcnn's solvers name ``models/pascal_voc/VGG16/faster_rcnn_end2end/
    train.prototxt``, four folders above the solver: ``ptx edit solver`` found only three
    folders up and refused every py-faster-rcnn solver ('net file ... not found')."""
    require_corpus()
    from prototxt_tools.cli import main
    solver = (CORPUS / "files/rbgirshick__py-faster-rcnn/models/pascal_voc/VGG16/"
              "faster_rcnn_end2end/solver.prototxt")
    here = os.getcwd()
    os.chdir(tmp_path)     # not the repository root: found from the solver's folders
    try:
        assert main(["edit", str(solver), "--replace-head", "4", "--diff"]) == 0
    finally:
        os.chdir(here)
    assert "'roi-data': param_str 'num_classes' 21 -> 5" in capsys.readouterr().err
