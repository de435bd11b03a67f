"""Mutation fuzzing: 10,000 damaged variants of real files, zero uncaught exceptions.

Each input goes through the whole read path a command uses (decode, parse,
kind, schema validation, typed views, graphs in both phases).  The only
exception allowed out is PtxError, the one-line user-facing error.
"""
import random
import pytest

from corpus import REPO, files_of, require_corpus
from prototxt_tools.api import PtxFile
from prototxt_tools.errors import PtxError
from prototxt_tools.io import decode_source
from prototxt_tools.net.kind import NET, SOLVER

SEED = 20261130
TOTAL_INPUTS = 10_000
MAX_SEED_BYTES = 6_000
SNIPPETS = [b"{", b"}", b"<", b">", b":", b"[", b"]", b",", b";", b'"', b"'", b"#", b"\n",
            b"\r\n", b"\t", b"-", b"$", b"\x00", b"\xff", b"\xef\xbb\xbf", b"layer", b"layers",
            b"layer {", b"bottom: ", b"top: ", b"include { phase: TEST }", b"type: ",
            b"-inf", b"nan", b"1e999", b"99999999999999999999", b"\\", b"param { lr_mult: 0 }",
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


def _swap_lines(data, rng):
    lines = data.split(b"\n")
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


_MUTATIONS = [_delete, _insert, _duplicate, _truncate, _flip, _swap_lines, _insert, _delete]


def _exercise(data: bytes) -> None:
    """Everything a command may touch on a file; only PtxError may escape."""
    try:
        ptx_file = PtxFile(decode_source(data, "fuzz.prototxt"), "fuzz.prototxt")
        ptx_file.problems
        if ptx_file.kind == NET:
            for phase in ("TRAIN", "TEST"):
                ptx_file.graph(phase)
        elif ptx_file.kind == SOLVER:
            ptx_file.solver
    except PtxError as exc:
        assert str(exc).startswith("fuzz.prototxt")
        assert "\n" not in str(exc)


@pytest.mark.corpus
def test_ten_thousand_mutated_files_raise_nothing_but_ptx_errors(tmp_path):
    seeds = _seeds()
    if len(seeds) < 20:
        require_corpus()
    rng = random.Random(SEED)
    for n in range(TOTAL_INPUTS):
        data = _mutate(rng.choice(seeds), rng)
        try:
            _exercise(data)
        except Exception as exc:  # report the input that broke us, reproducibly
            saved = tmp_path / "fuzz-failure.prototxt"
            saved.write_bytes(data)
            raise AssertionError(f"input #{n} (saved to {saved}) raised "
                                 f"{type(exc).__name__}: {exc}") from exc
