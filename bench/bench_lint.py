"""Lint benchmark: the whole corpus in one process, and cold start of `ptx lint` on one net
against `python -c "from google.protobuf import text_format"`, as ratios measured in one run.

Prints a Markdown section for bench/RESULTS.md.  Usage: python3 bench/bench_lint.py [--runs N]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from corpus import CORPUS, files_of  # noqa: E402

TYPICAL = REPO / "fixtures" / "caffenet" / "train_val.prototxt"


def corpus_seconds() -> tuple:
    from prototxt_tools.lint import LintConfig, LintOptions, lint_files
    entries = files_of("net", "solver")
    start = time.perf_counter()
    findings = 0
    for entry in entries:
        root = CORPUS / "/".join(entry.rel.split("/")[:2])
        findings += len(lint_files([str(entry.path)], LintConfig(), LintOptions(root=str(root))).problems)
    return time.perf_counter() - start, len(entries), findings


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
    seconds, files, findings = corpus_seconds()
    heavy = heavy_modules_on_lint_path()
    print("## ptx lint\n")
    print("| measure | value |\n| --- | --- |")
    print(f"| cold start `ptx lint` one net ({TYPICAL.name}), median of {runs} | {lint:.3f} s |")
    print(f"| `python -c \"from google.protobuf import text_format\"`, median of {runs} | {base:.3f} s |")
    print(f"| ratio lint / protobuf import | {lint / base:.2f}x |")
    print(f"| whole corpus in one process ({files} nets and solvers, {findings} findings) | "
          f"{seconds:.2f} s ({1000 * seconds / max(files, 1):.1f} ms per file) |")
    print(f"| heavy modules imported by `ptx lint` piped | {', '.join(heavy) or 'none'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
