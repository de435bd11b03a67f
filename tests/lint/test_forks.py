"""Fork nets under `ptx lint`: one finding per fork per file, occurrences in JSON and SARIF,
`--fork NAME` linting them with the bundled schema, and the corpus held to that."""
from __future__ import annotations

import collections
import json

import pytest

from corpus import CORPUS, params
from prototxt_tools.cli import main
from prototxt_tools.lint import LintConfig, LintOptions, lint_files

SSD = '''layer { name: "data" type: "Input" top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "n" type: "Normalize" bottom: "data" top: "n"
  norm_param { across_spatial: false } }
layer { name: "p1" type: "Permute" bottom: "n" top: "p1" permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "p2" type: "Permute" bottom: "n" top: "p2" permute_param { order: 0 order: 2 order: 3 order: 1 } }
layer { name: "f" type: "MarginInnerProduct" bottom: "p1" top: "f" }
'''


def _lint_json(tmp_path, capsys, *args):
    net = tmp_path / "ssd.prototxt"
    net.write_text(SSD)
    code = main(["lint", "--format", "json", str(net), *args])
    return code, json.loads(capsys.readouterr().out)


def test_one_finding_per_fork_with_every_use_related(tmp_path, capsys):
    code, found = _lint_json(tmp_path, capsys)
    assert code == 1
    assert sorted(p["code"] for p in found) == ["PTX009", "PTX009"]
    ssd = next(p for p in found if "SSD" in p["message"])
    assert "Normalize x1, Permute x2, norm_param x1, permute_param x2" in ssd["message"]
    assert "--fork ssd" in ssd["message"]
    assert 'has no field named "norm_param"' in ssd["message"]   # Caffe's first refusal
    assert [(r["line"], r["message"]) for r in ssd["related"]] == \
        [(3, "Normalize"), (4, "norm_param"), (5, "Permute"), (5, "permute_param"),
         (6, "Permute"), (6, "permute_param")]
    sphere = next(p for p in found if "SphereFace" in p["message"])
    assert "Did you mean" not in sphere["message"]          # not a misspelt InnerProduct


def test_sarif_lists_uses_as_related_locations(tmp_path, capsys):
    net = tmp_path / "ssd.prototxt"
    net.write_text(SSD)
    main(["lint", "--format", "sarif", str(net)])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    ssd = next(r for r in results if "SSD" in r["message"]["text"])
    assert len(ssd["relatedLocations"]) == 6
    assert ssd["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 3,
                                                                        "startColumn": 25}


def test_fork_option_lints_the_net_with_the_forks_schema(tmp_path, capsys):
    code, found = _lint_json(tmp_path, capsys, "--fork", "ssd")
    assert [p["code"] for p in found] == ["PTX009"]           # SphereFace's layer is left
    assert "SphereFace" in found[0]["message"] and code == 1


@pytest.mark.parametrize("args, says", [(["--fork", "nosuch"], "no bundled schema for 'nosuch'"),
                                        (["--fork", "ssd", "--schema", "x.proto"], "give one")])
def test_bad_fork_option_is_a_usage_error(tmp_path, capsys, args, says):
    net = tmp_path / "n.prototxt"
    net.write_text(SSD)
    assert main(["lint", str(net), *args]) == 2
    assert says in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net", "solver"), indirect=True)
def test_corpus_has_at_most_one_fork_finding_per_fork(corpus_file):
    root = CORPUS / "/".join(corpus_file.rel.split("/")[:2])
    problems = lint_files([str(corpus_file.path)], LintConfig(), LintOptions(root=str(root))).problems
    own = [p for p in problems if p.path == str(corpus_file.path)]
    forks = collections.Counter(p.message.split(" fork (")[0] for p in own if p.code == "PTX009")
    assert all(n == 1 for n in forks.values()), forks
    from prototxt_tools.forks.usage import claims_finding
    assert not [p for p in own if p.code in ("PTX002", "PTX003") and claims_finding(p)]


def test_show_reads_a_fork_net_with_the_bundled_schema(tmp_path, capsys):
    from prototxt_tools import load
    net = tmp_path / "ssd.prototxt"
    net.write_text(SSD)
    assert any(p.code == "PTX002" for p in load(str(net)).problems)
    assert not any(p.code == "PTX002" for p in load(str(net), schema="fork:ssd").problems)
    assert main(["show", "--fork", "ssd", "--json", str(net)]) == 0
    assert [layer["type"] for layer in json.loads(capsys.readouterr().out)["layers"]][1] == "Normalize"
    assert main(["show", "--fork", "nosuch", str(net)]) == 2


UNCATALOGUED = '''layer { name: "data" type: "Input" top: "data"
  input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }
layer { name: "a" type: "APL" bottom: "data" top: "a" apl_param { sums: 1 } }
layer { name: "s" type: "SeLuDropout" bottom: "a" top: "s" selu_dropout_param { ratio: 0.5 } }
layer { name: "c" type: "Convolutoin" bottom: "s" top: "c" }
'''


@pytest.mark.parametrize("wrap", [False, True], ids=["net", "solver-inline-net"])
def test_uncatalogued_fork_names_get_no_upstream_suggestion(tmp_path, wrap):
    """A fork layer ptx does not know (APL, SeLuDropout) is no misspelt upstream one, and its
    `<type>_param` is its own parameters: no `scale_param`/`Dropout` advice; a typo keeps it."""
    path = tmp_path / "net.prototxt"
    path.write_text('base_lr: 0.1\nnet_param {\n' + UNCATALOGUED + '}\n' if wrap else UNCATALOGUED)
    found = lint_files([str(path)], LintConfig(), LintOptions(root=str(tmp_path))).problems
    said = {(p.code, p.message.split(" ")[3 if p.code == "PTX006" else 7]): p.message
            for p in found if p.code in ("PTX002", "PTX006")}
    assert "Did you mean" not in said[("PTX006", "APL")]
    assert "Did you mean" not in said[("PTX006", "SeLuDropout")]
    assert 'Did you mean "Convolution"?' in said[("PTX006", "Convolutoin")]
    for field, kind in (('"apl_param".', "APL"), ('"selu_dropout_param".', "SeLuDropout")):
        assert said[("PTX002", field)].endswith(
            f"-- the parameters of layer type {kind!r}, which upstream Caffe lacks "
            "(a fork's: lint with its `--schema`)")


def test_fork_types_of_a_solvers_inline_net_are_reported(tmp_path):
    """A solver's net_param is linted as a net, but file findings belong to the solver:
    its fork layer types (no fork field to give them away) were reported by nobody."""
    solver = tmp_path / "solver.prototxt"
    solver.write_text('base_lr: 0.1\nnet_param {\n' + SSD.replace(
        "\n  norm_param { across_spatial: false }", "").replace(
        " permute_param { order: 0 order: 2 order: 3 order: 1 }", "") + '}\n')
    found = lint_files([str(solver)], LintConfig(), LintOptions(root=str(tmp_path))).problems
    forks = sorted(p.message.split(" fork")[0] for p in found if p.code == "PTX009")
    assert forks == ["uses the SSD", "uses the SphereFace"]


def test_extra_types_silence_fork_use_as_they_do_unknown_layer_type(tmp_path):
    """`extra-types` says this Caffe build has the layer: PTX006's own advice, which left
    PTX009 reporting a catalogued type (ConvolutionDepthwise) all the same."""
    from prototxt_tools.lint import load_config
    net = tmp_path / "n.prototxt"
    net.write_text('layer { name: "d" type: "Input" top: "data" input_param { shape { dim: 1 '
                   'dim: 3 dim: 4 dim: 4 } } }\nlayer { name: "c" type: "ConvolutionDepthwise" '
                   'bottom: "data" top: "c" convolution_param { num_output: 3 group: 3 '
                   'kernel_size: 1 weight_filler { type: "xavier" } } }\n')
    plain = lint_files([str(net)], LintConfig(), LintOptions(root=str(tmp_path))).problems
    assert [p.code for p in plain] == ["PTX009"] and "`extra-types`" in plain[0].message
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.ptx.options.unknown-layer-type]\nextra-types = ["ConvolutionDepthwise"]\n')
    told = lint_files([str(net)], load_config(str(config)), LintOptions(root=str(tmp_path)))
    assert told.problems == []
