"""Cases from upstream Caffe's own C++ test suite, read at test time from the vendored source.

Upstream's tests (``src/caffe/test/*.cpp`` in ../shared/vendor/bvlc-caffe-9b89154.tar.gz) hold
exact expectations as C++ string literals, e.g. ``this->RunFilterNetTest(input_proto,
output_proto)``.  They are extracted here, never copied into this repository: a tiny evaluator
for the statements those tests use (``const string& name = "..." "..." + other;`` and
``this->RunX(a, b);``).  Without the tarball the tests skip, and fail under CI.
"""
from __future__ import annotations

import os
import re
import tarfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import pytest

from corpus import REPO

TARBALL = REPO.parent / "shared" / "vendor" / "bvlc-caffe-9b89154.tar.gz"
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[A-Za-z_][\w:]*|->|//[^\n]*|/\*.*?\*/|\S', re.S)
_TEST = re.compile(r"TEST_F\((\w+),\s*(\w+)\)\s*\{")


@dataclass
class UpstreamCase:
    """One ``this->RunX(args)`` call in one upstream TEST_F."""

    fixture: str        # e.g. FilterNetTest
    test: str           # e.g. TestFilterOutByStage
    runner: str         # e.g. RunFilterNetTest
    args: Tuple[str, ...]
    index: int          # which call of that runner within the test

    @property
    def id(self) -> str:
        return f"{self.test}" + (f"[{self.index}]" if self.index else "")


def require_tarball() -> None:
    if not TARBALL.is_file():
        message = f"upstream Caffe's source {TARBALL} is not there (upstream test cases)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def source_of(name: str) -> Optional[str]:
    """The text of ``src/caffe/test/<name>`` in the vendored tarball, None without it."""
    if not TARBALL.is_file():
        return None
    with tarfile.open(TARBALL) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(f"/src/caffe/test/{name}"):
                return tar.extractfile(member).read().decode("utf-8")
    return None


def cases(file_name: str, runner: str) -> List[UpstreamCase]:
    """Every call of ``runner`` in the file's TEST_F bodies whose arguments evaluate."""
    text = source_of(file_name)
    if text is None:
        return []
    found = []
    for fixture, test, body in _test_bodies(text):
        calls = [call for call in _calls(body) if call[0] == runner]
        for index, (_, args) in enumerate(calls):
            found.append(UpstreamCase(fixture, test, runner, args, index))
    return found


def _test_bodies(text: str):
    for match in _TEST.finditer(text):
        depth, pos = 1, match.end()
        while depth and pos < len(text):
            depth += {"{": 1, "}": -1}.get(text[pos], 0)
            pos += 1
        yield match.group(1), match.group(2), text[match.end():pos - 1]


def _calls(body: str):
    """(runner, evaluated args) for each ``this->Runner(...)``, in order; strings bound first."""
    tokens = [t for t in _TOKEN.findall(body) if not t.startswith(("//", "/*"))]
    names: Dict[str, str] = {}
    out = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "=" and i > 0 and _is_name(tokens[i - 1]):
            end = tokens.index(";", i)
            value = _evaluate(tokens[i + 1:end], names)
            if value is not None:
                names[tokens[i - 1]] = value
            i = end
        elif tokens[i] == "this" and tokens[i + 1:i + 2] == ["->"] and tokens[i + 3] == "(":
            end = tokens.index(";", i)
            args = _split_args(tokens[i + 4:end - 1])
            values = [_evaluate(arg, names) for arg in args]
            if all(v is not None for v in values):
                out.append((tokens[i + 2], tuple(values)))
            i = end
        i += 1
    return out


def _split_args(tokens: List[str]) -> List[List[str]]:
    args, current = [], []
    for token in tokens:
        if token == ",":
            args.append(current)
            current = []
        else:
            current.append(token)
    return args + [current] if current else args


def _evaluate(tokens: List[str], names: Dict[str, str]) -> Optional[str]:
    """Adjacent literals and ``+`` of literals and known names; None for anything else."""
    parts = []
    for token in tokens:
        if token.startswith('"'):
            parts.append(_unescape(token[1:-1]))
        elif token == "+":
            continue
        elif token in names:
            parts.append(names[token])
        else:
            return None
    return "".join(parts) if parts else None


def _unescape(text: str) -> str:
    return re.sub(r'\\(["\\\'n])', lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _is_name(token: str) -> bool:
    return bool(re.match(r"[A-Za-z_]\w*$", token))
