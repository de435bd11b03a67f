"""Benchmarks for the foundation: corpus throughput and cold start, as ratios in one run.

    python bench/bench_foundation.py [--rounds N] [--write bench/RESULTS.md]

1. Parse + schema validation + graph (TRAIN and TEST) over every corpus net
   and solver that protobuf's ``text_format`` accepts, against
   ``text_format.Merge`` of the same texts into our schema's classes; with
   the compiled parser (what an install with a C compiler gets) and with
   the Python parser alone (an install without one).
2. Cold start: ``ptx show`` on GoogLeNet's train_val (piped, so no colours)
   against ``python -c "from google.protobuf import text_format"``.

Both sides run in the same process/run, interleaved, best of N rounds, so the
ratio is robust to machine noise; absolute times are reported for context.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("PTX_CORPUS", REPO.parent / "shared" / "corpus"))
GOOGLENET = CORPUS / "files/BVLC__caffe/models/bvlc_googlenet/train_val.prototxt"


def corpus_texts():
    """(text, kind) of every corpus net and solver, read once."""
    import csv
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] in ("net", "solver")]
    out = []
    for row in rows:
        data = (CORPUS / row["file"]).read_bytes()
        if data.strip():
            out.append((data.decode("utf-8"), row["kind"]))
    return out


def accepted_by_text_format(texts, classes):
    """The subset protobuf accepts, so both sides do the same work."""
    from google.protobuf import text_format
    accepted = []
    for text, kind in texts:
        try:
            text_format.Merge(text, classes[kind]())
            accepted.append((text, kind))
        except text_format.ParseError:
            pass
    return accepted


def time_text_format(texts, classes) -> float:
    from google.protobuf import text_format
    start = time.perf_counter()
    for text, kind in texts:
        text_format.Merge(text, classes[kind]())
    return time.perf_counter() - start


def time_ptx(texts, compiled: bool = True) -> float:
    from prototxt_tools.api import PtxFile
    from prototxt_tools.syntax import parser
    built = parser._cparse
    if not compiled:
        parser._cparse = None
    try:
        return _time_ptx(PtxFile, texts)
    finally:
        parser._cparse = built


def _time_ptx(PtxFile, texts) -> float:
    start = time.perf_counter()
    for text, kind in texts:
        ptx_file = PtxFile(text, "<bench>")
        ptx_file.problems
        if kind == "net":
            ptx_file.graph("TRAIN")
            ptx_file.graph("TEST")
    return time.perf_counter() - start


def installed_env() -> dict:
    """The environment of an installed package's user: bytecode caches are written and read.

    Some shells (CI, sandboxes) export PYTHONDONTWRITEBYTECODE=1; every changed
    module would then be compiled from source on each run, which no installed
    ptx does (pip writes the .pyc files at install time)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def best_cold(cmd, rounds: int) -> float:
    """Best wall time of ``cmd`` in fresh processes, after one untimed run that writes .pyc files."""
    env = installed_env()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=REPO, env=env)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=REPO, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", metavar="FILE", help="write a Markdown results section here")
    args = parser.parse_args(argv)
    from prototxt_tools.syntax.parser import COMPILED
    if not COMPILED:
        print("the compiled parser is not built (pip install -e . with a C compiler)",
              file=sys.stderr)
        return 2
    from prototxt_tools.schema import descriptor_pool_for
    pool = descriptor_pool_for(None)
    classes = {"net": pool["caffe.NetParameter"], "solver": pool["caffe.SolverParameter"]}
    texts = accepted_by_text_format(corpus_texts(), classes)
    size = sum(len(t) for t, _ in texts)
    tf_best = min(time_text_format(texts, classes) for _ in range(args.rounds))
    ptx_best = min(time_ptx(texts) for _ in range(args.rounds))
    pure_best = min(time_ptx(texts, compiled=False) for _ in range(args.rounds))
    baseline_cmd = [sys.executable, "-c", "from google.protobuf import text_format"]
    show_cmd = [sys.executable, "-m", "prototxt_tools", "show", str(GOOGLENET)]
    cold_base = best_cold(baseline_cmd, args.rounds * 2)
    cold_show = best_cold(show_cmd, args.rounds * 2)
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"best of {args.rounds} rounds ({args.rounds * 2} for cold starts), one run.",
        "",
        "| measurement | ptx | baseline | ratio | target |",
        "|---|---|---|---|---|",
        f"| corpus: parse + validate + graph (TRAIN, TEST), {len(texts)} files, {size / 1e6:.1f} MB "
        f"vs `text_format.Merge` | {ptx_best:.3f} s | {tf_best:.3f} s | "
        f"{tf_best / ptx_best:.2f}x faster | >= 5x |",
        f"| the same with the Python parser alone (no C compiler at install) | "
        f"{pure_best:.3f} s | {tf_best:.3f} s | {tf_best / pure_best:.2f}x faster | |",
        f"| cold start: `ptx show` GoogLeNet train_val vs `import text_format` | "
        f"{cold_show * 1000:.0f} ms | {cold_base * 1000:.0f} ms | {cold_show / cold_base:.2f}x as long "
        f"| <= 2x |",
    ]
    print("\n".join(lines))
    if args.write:
        _write_section(Path(args.write), "Foundation", lines)
    return 0


def _write_section(path: Path, title: str, lines) -> None:
    """Replace (or add) the ``## title`` section of the results file."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    head = f"## {title}\n"
    body = head + "\n" + "\n".join(lines) + "\n"
    if head in text:
        before, _, rest = text.partition(head)
        nxt = rest.find("\n## ")
        text = before + body + ("\n" + rest[nxt + 1:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
