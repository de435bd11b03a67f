"""Lint benchmark: the whole corpus in one process, and cold start of `ptx lint` on one net
against `python -c "from google.protobuf import text_format"`, as ratios measured in one run.

Prints a Markdown section.  Usage: python3 bench/bench_lint.py [--runs N] [--write bench/RESULTS.md]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from corpus import CORPUS, files_of  # noqa: E402

TYPICAL = REPO / "fixtures" / "caffenet" / "train_val.prototxt"


def corpus_seconds(entries) -> tuple:
    from prototxt_tools.lint import LintConfig, LintOptions, lint_files
    start = time.perf_counter()
    findings = 0
    for entry in entries:
        root = CORPUS / "/".join(entry.rel.split("/")[:2])
        findings += len(lint_files([str(entry.path)], LintConfig(), LintOptions(root=str(root))).problems)
    return time.perf_counter() - start, len(entries), findings


def text_format_seconds(entries) -> tuple:
    """text_format.Merge over the entries protobuf accepts: (seconds, accepted entries)."""
    from google.protobuf import text_format
    from prototxt_tools.schema import descriptor_pool_for
    pool = descriptor_pool_for(None)
    classes = {"net": pool["caffe.NetParameter"], "solver": pool["caffe.SolverParameter"]}
    accepted = []
    for entry in entries:
        text = entry.path.read_text(encoding="utf-8")
        try:
            text_format.Merge(text, classes[entry.kind]())
            accepted.append((entry, text))
        except text_format.ParseError:
            pass
    start = time.perf_counter()
    for entry, text in accepted:
        text_format.Merge(text, classes[entry.kind]())
    return time.perf_counter() - start, [entry for entry, _ in accepted]


def _env() -> dict:
    """Bytecode caching on, as for an installed package (pip compiles .pyc files)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _time(cmd, runs: int) -> float:
    env = _env()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def heavy_modules_on_lint_path() -> list:
    code = ("import sys; from prototxt_tools.cli import main; import io, contextlib\n"
            f"with contextlib.redirect_stdout(io.StringIO()): main(['lint', {str(TYPICAL)!r}])\n"
            "print(','.join(m for m in ('rich', 'networkx', 'google.protobuf', 'grpc') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=_env(), cwd=REPO).stdout.strip()
    return [m for m in out.split(",") if m]


def main(argv) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 7
    base = _time([sys.executable, "-c", "from google.protobuf import text_format"], runs)
    lint = _time([sys.executable, "-m", "prototxt_tools", "lint", str(TYPICAL)], runs)
    entries = files_of("net", "solver")
    seconds, files, findings = corpus_seconds(entries)
    tf_seconds, accepted = text_format_seconds(entries)
    lint_accepted, _, _ = corpus_seconds(accepted)
    heavy = heavy_modules_on_lint_path()
    lines = [
        f"Median of {runs} cold starts; corpus timings in one process, one run.", "",
        "| measure | value |", "| --- | --- |",
        f"| cold start `ptx lint` one net ({TYPICAL.name}) | {lint:.3f} s |",
        f"| `python -c \"from google.protobuf import text_format\"` | {base:.3f} s |",
        f"| ratio lint / protobuf import | {lint / base:.2f}x |",
        f"| whole corpus ({files} nets and solvers, {findings} findings) | "
        f"{seconds:.2f} s ({1000 * seconds / max(files, 1):.1f} ms per file) |",
        f"| the {len(accepted)} files protobuf accepts: full lint vs `text_format.Merge` alone | "
        f"{lint_accepted:.2f} s vs {tf_seconds:.2f} s = {lint_accepted / tf_seconds:.2f}x as long |",
        f"| heavy modules imported by `ptx lint` piped | {', '.join(heavy) or 'none'} |",
    ]
    print("\n".join(lines))
    if "--write" in argv:
        from bench_foundation import _write_section
        _write_section(Path(argv[argv.index("--write") + 1]), "ptx lint", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
