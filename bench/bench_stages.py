"""Where the foundation benchmark's time goes: cumulative stage timings over the corpus.

    python bench/bench_stages.py [--rounds N] [--python-parser]

Same files as bench_foundation.py.  Each line runs the pipeline up to that
stage (best of N rounds, garbage collector on, as users run it), so the
differences between lines are the stages' costs.  For profiling, not a target.
"""
from __future__ import annotations

import argparse
import gc
import time

from bench_foundation import accepted_by_text_format, corpus_texts

STAGES = ["parse + file kind", "+ schema validation", "+ net view", "+ graph TRAIN",
          "+ graph TEST"]


def run_upto(PtxFile, texts, stage: int) -> None:
    for text, kind in texts:
        ptx_file = PtxFile(text, "<bench>")
        if stage >= 1:
            ptx_file.problems
        if kind != "net":
            continue
        if stage >= 2:
            ptx_file.net.layers
        if stage >= 3:
            ptx_file.graph("TRAIN")
        if stage >= 4:
            ptx_file.graph("TEST")


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--python-parser", action="store_true",
                        help="use the Python parser even where the compiled one is built")
    args = parser.parse_args(argv)
    from prototxt_tools.api import PtxFile
    from prototxt_tools.schema import descriptor_pool_for
    from prototxt_tools.syntax import parser as syntax_parser
    if args.python_parser:
        syntax_parser._cparse = None
    pool = descriptor_pool_for(None)
    classes = {"net": pool["caffe.NetParameter"], "solver": pool["caffe.SolverParameter"]}
    texts = accepted_by_text_format(corpus_texts(), classes)
    print(f"{len(texts)} files, {'compiled' if syntax_parser._cparse else 'Python'} parser")
    for stage, label in enumerate(STAGES):
        seconds = best(lambda: run_upto(PtxFile, texts, stage), args.rounds)
        print(f"{label:24s} {seconds * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
