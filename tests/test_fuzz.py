"""Mutation fuzzing: 10,000 damaged variants of real files, zero uncaught exceptions.

Each input goes through the whole read path a command uses (decode, parse,
kind, schema validation, typed views, graphs in both phases, the rows and
cells of ``ptx show``).  The only exception allowed out is PtxError, the
one-line user-facing error.
"""
import random
from collections import Counter
import pytest

from corpus import REPO, files_of, require_corpus
from prototxt_tools.api import PtxFile
from prototxt_tools.cli.show import _cells as show_cells
from prototxt_tools.errors import PtxError
from prototxt_tools.io import decode_source
from prototxt_tools.net.kind import NET, SOLVER
from prototxt_tools.summary import layer_rows, totals

SEED = 20261130
TOTAL_INPUTS = 10_000
MAX_SEED_BYTES = 16_000
SNIPPETS = [b"{", b"}", b"<", b">", b":", b"[", b"]", b",", b";", b'"', b"'", b"#", b"\n",
            b"\r\n", b"\t", b"-", b"$", b"\x00", b"\xff", b"\xef\xbb\xbf", b"layer", b"layers",
            b"layer {", b"bottom: ", b"top: ", b"include { phase: TEST }", b"type: ",
            b"-inf", b"nan", b"1e999", b"99999999999999999999", b"\\", b"\\U00300000", b"param { lr_mult: 0 }",
            b'name: "x"', b"input: ", b"input_dim: 1", b"net_param {", b"{ {", b"} }"]


def _seeds():
    paths = [p for p in (REPO / "fixtures").rglob("*.prototxt")]
    paths += [f.path for f in files_of("net", "solver", "labelmap")]
    return [p.read_bytes() for p in paths if 0 < p.stat().st_size <= MAX_SEED_BYTES]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = rng.choice(_MUTATIONS)(data, rng)
    return data


def _delete(data, rng):
    i = rng.randrange(len(data) + 1)
    return data[:i] + data[i + rng.randint(1, 40):]


def _insert(data, rng):
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(SNIPPETS) + data[i:]


def _duplicate(data, rng):
    i = rng.randrange(len(data) + 1)
    j = min(len(data), i + rng.randint(1, 400))
    return data[:j] + data[i:j] + data[j:]


def _truncate(data, rng):
    return data[:rng.randrange(len(data) + 1)]


def _flip(data, rng):
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]


VALUES = [b"-1", b"0", b"1", b"2147483648", b'"x"', b"''", b"TEST", b"TRAIN", b"1e9", b"-inf",
          b"nan", b"true", b"MAX", b'"data"', b'"label"', b'"Convolution"', b'"Python"', b"0.5"]


def _replace_value(data, rng):
    """Keeps the syntax valid most of the time, so the mutant reaches the views."""
    colons = [i for i in range(len(data)) if data[i:i + 1] == b":"]
    if not colons:
        return data
    i = rng.choice(colons) + 1
    end = data.find(b"\n", i)
    end = len(data) if end < 0 else end
    return data[:i] + b" " + rng.choice(VALUES) + data[end:]


def _line_edit(data, rng):
    """Delete, duplicate or move one whole line: mostly valid syntax, broken wiring."""
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    action = rng.randrange(3)
    if action == 0:
        del lines[i]
    elif action == 1:
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
    else:
        lines.insert(rng.randrange(len(lines)), lines.pop(i))
    return b"\n".join(lines)


def _swap_lines(data, rng):
    lines = data.split(b"\n")
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


_MUTATIONS = [_delete, _insert, _duplicate, _truncate, _flip, _swap_lines,
              _replace_value, _replace_value, _replace_value, _line_edit, _line_edit, _line_edit]


def _exercise(data: bytes) -> str:
    """Everything a command may touch on a file; only PtxError may escape.

    Returns how far the input got (``error``, or the file kind), so the test
    can check that the fuzzing reaches past the parser."""
    try:
        ptx_file = PtxFile(decode_source(data, "fuzz.prototxt"), "fuzz.prototxt")
        ptx_file.problems
        if ptx_file.kind == NET:
            for phase in ("TRAIN", "TEST"):
                rows = layer_rows(ptx_file.graph(phase).layers())  # what ``ptx show`` prints
                [show_cells(n, row) for n, row in enumerate(rows, 1)]
                totals(rows)
        elif ptx_file.kind == SOLVER:
            ptx_file.solver
        return ptx_file.kind
    except PtxError as exc:
        assert str(exc).startswith("fuzz.prototxt")
        assert "\n" not in str(exc)
        return "error"


@pytest.mark.corpus
def test_ten_thousand_mutated_files_raise_nothing_but_ptx_errors(tmp_path):
    seeds = _seeds()
    if len(seeds) < 20:
        require_corpus()
    rng = random.Random(SEED)
    reached = Counter()
    for n in range(TOTAL_INPUTS):
        data = _mutate(rng.choice(seeds), rng)
        try:
            reached[_exercise(data)] += 1
        except Exception as exc:  # report the input that broke us, reproducibly
            saved = tmp_path / "fuzz-failure.prototxt"
            saved.write_bytes(data)
            raise AssertionError(f"input #{n} (saved to {saved}) raised "
                                 f"{type(exc).__name__}: {exc}") from exc
    assert reached[NET] >= TOTAL_INPUTS * 3 // 20, reached  # the fuzzing must reach the graphs
    assert reached["error"] >= TOTAL_INPUTS // 5, reached
