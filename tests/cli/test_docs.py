"""The README stays true to what exists: every command documented, every documented flag accepted."""
import re

import pytest

from corpus import REPO
from prototxt_tools.cli import COMMANDS, build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")
# Command lines in the README's code blocks: "ptx NAME ..." (continuation lines indented).
USAGE = re.compile(r"(?m)^(?:\S*/)?ptx (\w+)((?:[^\n]*)(?:\n {8,}[^\n]*)*)")


def _documented_flags():
    """(command, flag) for every ``--flag`` shown on a ``ptx COMMAND`` line of the README."""
    pairs = set()
    for command, rest in USAGE.findall(README):
        for flag in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
            pairs.add((command, flag))
    return sorted(pairs)


def _accepted_flags(command: str) -> set:
    parser = build_parser(commands=[command])
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return {opt for action in sub._actions for opt in action.option_strings}


@pytest.mark.parametrize("command", sorted(COMMANDS.names()))
def test_every_command_has_a_readme_section(command):
    assert f"`ptx {command}" in README or f"ptx {command} " in README


@pytest.mark.parametrize("command,flag", _documented_flags())
def test_documented_flag_exists(command, flag):
    assert command in COMMANDS, f"README shows `ptx {command}`, which does not exist"
    assert flag in _accepted_flags(command), f"README shows `ptx {command} {flag}`"


def test_the_readme_shows_many_flags():
    assert len(_documented_flags()) > 40  # the regex above really finds the usage lines


def test_readme_python_example_runs(monkeypatch, capsys):
    """The README's API example, run as written on the bundled CaffeNet net."""
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(REPO / "fixtures" / "caffenet")
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    net_file = namespace["net_file"]
    assert (net_file.kind, net_file.format) == ("net", "v2")
    assert namespace["conv"].typed("convolution_param").get("stride") == [4]
    assert net_file.doc.render() == net_file.text and net_file.problems == []
    assert "conv1 Convolution ['data'] ['conv1']" in capsys.readouterr().out


def test_version_says_which_parser_this_install_runs(capsys):
    from prototxt_tools import __version__
    from prototxt_tools.syntax import parser as syntax_parser
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    kind = "compiled" if syntax_parser.COMPILED else "Python"
    assert capsys.readouterr().out.strip() == f"ptx {__version__} ({kind} parser)"
