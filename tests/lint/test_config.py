"""Config discovery and validation: pyproject [tool.ptx], setup.cfg [ptx], --config; errors name file:line."""
from __future__ import annotations

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.lint.config import find_config, load_config


def test_pyproject_found_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.ptx]\nignore = ["PTX107"]\n'
                                             '[tool.ptx.severity]\nPTX104 = "error"\n'
                                             '[tool.ptx.options.base-lr-too-high]\nmax = 0.5\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(str(deep)) == str(tmp_path / "pyproject.toml")
    config = load_config(start=str(deep))
    assert "PTX107" not in config.enabled_codes() and "PTX101" in config.enabled_codes()
    assert config.severity == {"PTX104": "error"}
    assert config.options == {"PTX404": {"max": 0.5}}


def test_pyproject_without_section_is_skipped_for_setup_cfg(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 99\n")
    (tmp_path / "setup.cfg").write_text("[ptx]\nselect = PTX1, PTX4\nper-file-ignores =\n"
                                        "    deploy/*.prototxt: PTX107\noptions =\n"
                                        "    PTX404.finetune-max = 0.001\n")
    config = load_config(start=str(tmp_path))
    assert config.enabled_codes() == {c for c in config.enabled_codes() if c[:4] in ("PTX1", "PTX4")}
    assert "PTX107" not in config.enabled_codes("deploy/net.prototxt")
    assert "PTX107" in config.enabled_codes("train/net.prototxt")
    assert config.options["PTX404"] == {"finetune-max": 0.001}


@pytest.mark.parametrize("body,word,line", [
    ('[tool.ptx]\nselect = ["PTX1"]\nselct = ["PTX2"]\n', "unknown config key", 3),
    ('[tool.ptx]\n\nignore = ["PTX999"]\n', "unknown rule", 3),
    ('[tool.ptx]\n[tool.ptx.severity]\nPTX101 = "fatal"\n', "unknown severity", 3),
    ('[tool.ptx.options.PTX404]\nmaximum = 1.0\n', "has no option", 2),
])
def test_bad_config_names_file_and_line(tmp_path, body, word, line):
    path = tmp_path / "pyproject.toml"
    path.write_text(body)
    with pytest.raises(PtxError) as err:
        load_config(str(path))
    assert word in err.value.message
    assert err.value.path == str(path) and err.value.line == line


def test_explicit_config_file(tmp_path):
    path = tmp_path / "ptx.toml"
    path.write_text('select = ["PTX4"]\nstrict = true\n')
    config = load_config(str(path))
    assert config.strict and all(code.startswith("PTX4") for code in config.enabled_codes())
