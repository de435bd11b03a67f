"""A model's files together: which training net a deploy file is checked against
(config, files named together, usual names), and the grouped deploy-mismatch finding."""
from __future__ import annotations

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.lint import LintConfig, LintOptions, lint_files, load_config
from prototxt_tools.lint.models import partner_candidates

INPUT = 'layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 4 dim: 4 } } }\n'
LABEL = 'layer { name: "label" type: "Input" top: "label" input_param { shape { dim: 1 } } }\n'


def fc(n: int) -> str:
    return ('layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" '
            f'inner_product_param {{ num_output: {n} weight_filler {{ type: "xavier" }} }} }}\n')


LOSS = 'layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" }\n'
PROB = 'layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }\n'


def _codes(paths, config=None, **options):
    found = lint_files([str(p) for p in paths], config or LintConfig(select=["PTX7"]),
                       LintOptions(**options)).problems
    return [(p.code, p.path.rsplit("/", 1)[-1]) for p in found]


def test_usual_names_pair_a_prefixed_deploy_with_its_train_val(tmp_path):
    (tmp_path / "alex_train_val.prototxt").write_text(INPUT + LABEL + fc(2) + LOSS)
    deploy = tmp_path / "alex_deploy.prototxt"
    deploy.write_text(INPUT + fc(3) + PROB)
    assert partner_candidates(str(deploy))[0] == str(tmp_path / "alex_train_val.prototxt")
    assert _codes([deploy]) == [("PTX701", "alex_deploy.prototxt")]


def test_files_named_together_are_one_model(tmp_path):
    train = tmp_path / "a" / "net_for_training.prototxt"
    train.parent.mkdir()
    train.write_text(INPUT + LABEL + fc(2) + LOSS)
    deploy = tmp_path / "b" / "deploy.prototxt"
    deploy.parent.mkdir()
    deploy.write_text(INPUT + fc(3) + PROB)
    assert _codes([deploy]) == []
    assert ("PTX701", "deploy.prototxt") in _codes([deploy, train])


def test_config_names_the_training_net_of_a_deploy_glob(tmp_path):
    (tmp_path / "nets").mkdir()
    (tmp_path / "nets" / "v2.prototxt").write_text(INPUT + LABEL + fc(2) + LOSS)
    deploy = tmp_path / "deploy_fast.prototxt"
    deploy.write_text(INPUT + fc(3) + PROB)
    config_file = tmp_path / "pyproject.toml"
    config_file.write_text('[tool.ptx]\nselect = ["PTX7"]\n[tool.ptx.deploy]\n'
                           '"deploy_fast.prototxt" = "nets/v2.prototxt"\n')
    assert _codes([deploy], load_config(str(config_file))) == [("PTX701", "deploy_fast.prototxt")]
    config_file.write_text('[tool.ptx.deploy]\n"deploy_fast.prototxt" = "nets/missing.prototxt"\n')
    with pytest.raises(PtxError):
        load_config(str(config_file))


def test_many_differences_are_one_finding_and_a_folded_batchnorm_deploy_a_warning(tmp_path):
    convs, bn_convs = "", ""
    for i in range(5):
        source = "data" if i == 0 else f"c{i - 1}"
        conv = (f'layer {{ name: "c{i}" type: "Convolution" bottom: "{source}" top: "c{i}" '
                f'convolution_param {{ num_output: 3 kernel_size: 1 BIAS }} }}\n')
        convs += conv.replace("BIAS", "")
        bn_convs += conv.replace("BIAS", "bias_term: false") + (
            f'layer {{ name: "bn{i}" type: "BatchNorm" bottom: "c{i}" top: "c{i}" }}\n')
    (tmp_path / "train_val.prototxt").write_text(INPUT + LABEL + bn_convs)
    deploy = tmp_path / "deploy.prototxt"
    deploy.write_text(INPUT + convs)
    found = lint_files([str(deploy)], LintConfig(select=["PTX701"]), LintOptions()).problems
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].message.startswith("5 layers differ from the training net 'train_val.prototxt'")
    assert "batch norm folded into the convolutions" in found[0].message
    assert len(found[0].related) == 5


def test_two_unrelated_files_named_together_are_not_a_model(tmp_path):
    train = tmp_path / "a" / "other_model.prototxt"
    train.parent.mkdir()
    train.write_text(INPUT + LABEL + fc(2).replace('"fc"', '"score"') + LOSS.replace('"fc"', '"score"'))
    deploy = tmp_path / "b" / "deploy.prototxt"
    deploy.parent.mkdir()
    deploy.write_text(INPUT + fc(3) + PROB)
    assert _codes([deploy, train]) == []


def test_a_plain_train_val_beside_several_deploy_nets_is_nobodys_partner(tmp_path):
    """deploy_resnet18 and deploy_resnet50 beside one train_val.prototxt: whose it is, is
    unknown, so neither is checked against it (a false PTX701 on the other model); a
    deploy file's own name still pairs (deploy_resnet18 -> train_val_resnet18)."""
    (tmp_path / "train_val.prototxt").write_text(INPUT + LABEL + fc(2) + LOSS)
    small, large = tmp_path / "deploy_resnet18.prototxt", tmp_path / "deploy_resnet50.prototxt"
    small.write_text(INPUT + fc(2) + PROB)
    large.write_text(INPUT + fc(3) + PROB)
    assert _codes([large]) == []
    (tmp_path / "train_val_resnet50.prototxt").write_text(INPUT + LABEL + fc(2) + LOSS)
    assert _codes([large]) == [("PTX701", "deploy_resnet50.prototxt")]
    small.unlink()   # alone in its folder, the plain name is its training net
    (tmp_path / "train_val_resnet50.prototxt").unlink()
    assert _codes([large]) == [("PTX701", "deploy_resnet50.prototxt")]
