"""Benchmarks for shapes and weights: caffemodel scan vs protobuf, shape inference speed.

    python bench/bench_weights.py [--rounds N]

1. A VGG16-sized caffemodel (138M random float32 weights, ~550 MB) is generated
   in a temporary directory (deleted afterwards, never committed).  ptx's scan
   and protobuf's ``NetParameter.ParseFromString`` of the same file each run in
   a fresh subprocess that reports wall time and peak RSS (``ru_maxrss``).
2. ``infer_file`` (TRAIN and TEST) on the corpus nets with the most layers.

Prints a Markdown section for bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = Path(os.environ.get("PTX_CORPUS", REPO.parent / "shared" / "corpus"))

VGG16 = ([("conv1_1", 64, 3, 3), ("conv1_2", 64, 64, 3), ("conv2_1", 128, 64, 3), ("conv2_2", 128, 128, 3),
          ("conv3_1", 256, 128, 3), ("conv3_2", 256, 256, 3), ("conv3_3", 256, 256, 3),
          ("conv4_1", 512, 256, 3), ("conv4_2", 512, 512, 3), ("conv4_3", 512, 512, 3),
          ("conv5_1", 512, 512, 3), ("conv5_2", 512, 512, 3), ("conv5_3", 512, 512, 3)],
         [("fc6", 4096, 25088), ("fc7", 4096, 4096), ("fc8", 1000, 4096)])

SCAN = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
start = time.perf_counter()
from prototxt_tools.weights import scan_caffemodel
scan = scan_caffemodel({path!r})
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "layers": len(scan.layers),
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""
PARSE = """
import json, resource, sys, time
sys.path.insert(0, {repo!r})
from prototxt_tools.schema import descriptor_pool_for
Net = descriptor_pool_for()["caffe.NetParameter"]
start = time.perf_counter()
with open({path!r}, "rb") as fh:
    net = Net()
    net.ParseFromString(fh.read())
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "layers": len(net.layer),
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""
BASELINE = """
import json, resource, sys
sys.path.insert(0, {repo!r})
from prototxt_tools.schema import descriptor_pool_for
descriptor_pool_for()
print(json.dumps({{"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def _blob(dims, rng_bytes) -> bytes:
    from prototxt_tools.wire import encode_length_field, encode_varint
    packed = b"".join(encode_varint(d) for d in dims)
    shape = encode_length_field(1, len(packed)) + packed
    count = 1
    for d in dims:
        count *= d
    data_header = encode_length_field(5, 4 * count)
    body_size = len(encode_length_field(7, len(shape))) + len(shape) + len(data_header) + 4 * count
    return encode_length_field(7, body_size) + encode_length_field(7, len(shape)) + shape + data_header


def write_vgg16(path: str) -> int:
    """Stream a VGG16-shaped caffemodel of random floats to ``path``; returns its size."""
    from prototxt_tools.wire import encode_length_field
    layers = [(n, "Convolution", [(o, i, k, k), (o,)]) for n, o, i, k in VGG16[0]]
    layers += [(n, "InnerProduct", [(o, i), (o,)]) for n, o, i in VGG16[1]]
    with open(path, "wb") as out:
        name = b"VGG_ILSVRC_16_layers"
        out.write(encode_length_field(1, len(name)) + name)
        for layer_name, kind, shapes in layers:
            head = encode_length_field(1, len(layer_name)) + layer_name.encode()
            head += encode_length_field(2, len(kind)) + kind.encode()
            blobs = []
            for dims in shapes:
                count = 1
                for d in dims:
                    count *= d
                blobs.append((_blob(dims, None), count))
            size = len(head) + sum(len(h) + 4 * c for h, c in blobs)
            out.write(encode_length_field(100, size) + head)
            for header, count in blobs:
                out.write(header)
                _random_floats(out, count)
    return os.path.getsize(path)


def _random_floats(out, count: int) -> None:
    import random
    import struct
    chunk = 1 << 20
    rng = random.Random(0)
    block = struct.pack(f"<{chunk}f", *(rng.uniform(-0.1, 0.1) for _ in range(chunk)))
    remaining = count
    while remaining:
        n = min(chunk, remaining)
        out.write(block[:4 * n])
        remaining -= n


def run_child(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_scan(rounds: int) -> dict:
    folder = tempfile.mkdtemp(prefix="ptx-bench-")
    try:
        path = os.path.join(folder, "vgg16.caffemodel")
        size = write_vgg16(path)
        scans = [run_child(SCAN.format(repo=str(REPO), path=path)) for _ in range(rounds)]
        parses = [run_child(PARSE.format(repo=str(REPO), path=path)) for _ in range(rounds)]
        baseline = run_child(BASELINE.format(repo=str(REPO)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    best_scan = min(scans, key=lambda r: r["seconds"])
    best_parse = min(parses, key=lambda r: r["seconds"])
    assert best_scan["layers"] == best_parse["layers"] == 16
    return {"size": size, "scan": best_scan, "parse": best_parse, "baseline": baseline}


def largest_nets(count: int = 4):
    import csv
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "net"]
    rows.sort(key=lambda r: -int(r["bytes"]))
    return [CORPUS / r["file"] for r in rows[:count]]


def bench_shapes(rounds: int) -> list:
    from prototxt_tools.api import load
    from prototxt_tools.errors import PtxError
    from prototxt_tools.shapes import infer_file
    out = []
    for path in largest_nets():
        ptx = load(str(path))
        try:
            infer_file(ptx, "TRAIN")
        except PtxError:
            continue
        times = []
        for _ in range(rounds):
            fresh = load(str(path))
            start = time.perf_counter()
            results = [infer_file(fresh, phase) for phase in ("TRAIN", "TEST")]
            times.append(time.perf_counter() - start)
        layers = sum(len(r.layers) for r in results)
        known = sum(1 for r in results for e in r.layers if e.status == "ok")
        out.append((path.relative_to(CORPUS), layers, known, min(times)))
    return out


def report(scan: dict, shapes: list) -> str:
    s, p, base = scan["scan"], scan["parse"], scan["baseline"]
    lines = [
             f"Machine: {platform.machine()}, Python {platform.python_version()}; best of the rounds, "
             "each measurement in a fresh subprocess.", "",
             f"VGG16-sized caffemodel, {scan['size'] / 1e6:.0f} MB of random float32 weights (16 layers):", "",
             "| | time | peak RSS |", "|---|---|---|",
             f"| ptx `scan_caffemodel` (mmap, floats skipped) | {s['seconds'] * 1000:.1f} ms | {s['rss_kb'] / 1024:.0f} MiB |",
             f"| protobuf `NetParameter.ParseFromString` | {p['seconds'] * 1000:.0f} ms | {p['rss_kb'] / 1024:.0f} MiB |",
             f"| ratio | **{p['seconds'] / s['seconds']:.0f}x faster** | **{s['rss_kb'] / p['rss_kb']:.3f}** of protobuf's |",
             "",
             f"(Peak RSS includes the interpreter: Python + protobuf classes alone is {base['rss_kb'] / 1024:.0f} MiB. "
             "Targets: >= 20x faster, <= 1/10 of the memory.)", "",
             "Shape inference (`infer_file`, TRAIN + TEST, parse excluded) on the largest corpus nets:", "",
             "| net | layers (both phases) | with known shapes | time |", "|---|---|---|---|"]
    for rel, layers, known, seconds in shapes:
        lines.append(f"| {rel} | {layers} | {known} | {seconds * 1000:.1f} ms |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", metavar="FILE", help="replace this section of a results file")
    args = parser.parse_args(argv)
    scan = bench_scan(args.rounds)
    shapes = bench_shapes(args.rounds) if (CORPUS / "MANIFEST.tsv").is_file() else []
    text = report(scan, shapes)
    print(text)
    if args.write:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_foundation import _write_section
        _write_section(Path(args.write), "Shapes and weights", text.rstrip("\n").splitlines())
    return 0


if __name__ == "__main__":
    sys.exit(main())
