"""Solver paths in trees: --root, config roots, the solver's folder, the repository root;
the rule solver-root (PTX410) says which one worked, PTX401/PTX406 only when none does."""
from __future__ import annotations

import os

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.lint import LintConfig, LintOptions, lint_files, load_config

NET = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 } } }\n'


def _tree(tmp_path, net_ref="train_val.prototxt", prefix="snap/a"):
    """repo/.git, repo/models/a/{solver.prototxt, train_val.prototxt, snap/}."""
    model = tmp_path / "repo" / "models" / "a"
    (model / "snap").mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    (model / "train_val.prototxt").write_text(NET)
    solver = model / "solver.prototxt"
    solver.write_text(f'net: "{net_ref}"\nbase_lr: 0.01\nlr_policy: "fixed"\nsolver_mode: GPU\n'
                      f'snapshot: 100\nsnapshot_prefix: "{prefix}"\n')
    return solver


def _lint(solver, root, config=None):
    found = lint_files([str(solver)], config or LintConfig(), LintOptions(root=str(root))).problems
    return {p.code: p for p in found if p.path == str(solver)}


def test_paths_of_the_solvers_folder_resolve_and_the_folder_is_named(tmp_path):
    solver = _tree(tmp_path)
    found = _lint(solver, tmp_path / "repo")
    assert "PTX401" not in found and "PTX406" not in found
    info = found["PTX410"]
    assert info.severity == "info"
    assert "'train_val.prototxt', 'snap/a' resolve against the solver's folder" in info.message
    assert "run `caffe train` from there" in info.message


def test_paths_of_the_repository_root_resolve(tmp_path):
    solver = _tree(tmp_path, "models/a/train_val.prototxt", "models/a/snap/a")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = _lint(solver, elsewhere)
    assert "PTX401" not in found and "PTX406" not in found
    assert "the repository root" in found["PTX410"].message


def test_root_itself_needs_no_word(tmp_path):
    solver = _tree(tmp_path, "models/a/train_val.prototxt", "models/a/snap/a")
    found = _lint(solver, tmp_path / "repo")
    assert set(found) & {"PTX401", "PTX406", "PTX410"} == set()


def test_no_root_resolves_is_an_error_naming_every_root_tried(tmp_path):
    solver = _tree(tmp_path, "nowhere/train_val.prototxt", "nowhere/snap")
    found = _lint(solver, tmp_path)
    for code in ("PTX401", "PTX406"):
        message = found[code].message
        assert f"--root '{tmp_path}'" in message and "the solver's folder" in message
        assert "the repository root" in message
    assert "PTX410" not in found
    # the snapshot folder is a run-time artefact (git keeps no empty folders): a warning
    assert found["PTX401"].severity == "error" and found["PTX406"].severity == "warning"


def test_config_roots_per_path_pattern(tmp_path):
    solver = _tree(tmp_path, "shared_net.prototxt")
    (tmp_path / "repo" / "nets").mkdir()
    (tmp_path / "repo" / "nets" / "shared_net.prototxt").write_text(NET)
    config = tmp_path / "repo" / "pyproject.toml"
    config.write_text('[tool.ptx.roots]\n"models/a/*" = "nets"\n')
    found = lint_files([str(solver)], load_config(str(config)),
                       LintOptions(root=str(tmp_path))).problems
    assert not [p for p in found if p.code == "PTX401"]
    infos = [p.message for p in found if p.code == "PTX410"]
    assert any(m.startswith("'shared_net.prototxt' resolve against the config root for "
                            "'models/a/*'") for m in infos), infos


def test_a_config_root_that_is_no_folder_is_a_config_error(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.ptx.roots]\n"models/*" = "missing"\n')
    with pytest.raises(PtxError) as err:
        load_config(str(config))
    assert "is not a folder" in err.value.message and err.value.line == 2


def test_nets_a_solver_names_are_linted_from_the_root_that_worked(tmp_path):
    solver = _tree(tmp_path)
    bad = NET + 'layer { name: "r" type: "ReLU" bottom: "nothing" top: "r" }\n'
    (solver.parent / "train_val.prototxt").write_text(bad)
    found = lint_files([str(solver)], LintConfig(), LintOptions(root=str(tmp_path))).problems
    assert any(p.code == "PTX101" and p.path.endswith(os.path.join("a", "train_val.prototxt"))
               for p in found)


def test_without_a_repository_the_folders_above_the_solver_are_tried(tmp_path):
    solver = _tree(tmp_path, "models/a/train_val.prototxt", "models/a/snap/a")
    (tmp_path / "repo" / ".git").rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = _lint(solver, elsewhere)
    assert "PTX401" not in found and "PTX406" not in found
    assert f"resolve against a folder above it '{tmp_path / 'repo'}'" in found["PTX410"].message
