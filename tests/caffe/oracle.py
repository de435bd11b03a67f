"""Caffe's verdict on every corpus net-phase, computed in a pool of child processes.

Regenerate the committed record after a corpus or Caffe change with:

    python3 tests/caffe/oracle.py --write        (needs pycaffe: tools/build-caffe.sh)

Data layers whose shapes cannot be derived get a placeholder (FALLBACK): the
oracle compares structure (layers, order, outputs), which no shape changes
unless a net hard-codes sizes -- and then Caffe's verdict is recorded as is.
"""
from __future__ import annotations

import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]

from corpus import files_of  # noqa: E402
from prototxt_tools.caffe.check import check_net  # noqa: E402
from prototxt_tools.errors import PtxError  # noqa: E402

RECORD = HERE / "caffe_verdicts.json"
FALLBACK = (1, 3, 224, 224)
PHASES = ("TRAIN", "TEST")
TIMEOUT = 60.0
WORKERS = 2
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def key(rel: str, phase: str) -> str:
    return f"{rel} {phase}"


def normalize(message: str) -> str:
    """Caffe messages with run-specific parts (pointer values) made stable."""
    return _ADDRESS.sub("0x?", message)


def verdict(path: Path, phase: str) -> dict:
    """``builds`` with Caffe's layers/outputs, ``rejects`` with its message, or a ptx/run error."""
    try:
        result = check_net(str(path), phase, fallback_shape=FALLBACK, timeout=TIMEOUT)
    except PtxError as exc:
        return {"verdict": "ptx-error", "message": normalize(exc.message)}
    placeholder = any("placeholder" in note for note in result.notes)
    if result.fatal is not None:
        return {"verdict": "rejects", "placeholder_shapes": placeholder,
                "message": normalize(result.fatal.message),
                "layer": result.fatal.layer}
    return {"verdict": "builds", "layers": [list(pair) for pair in result.layers],
            "outputs": result.outputs, "swapped": result.swapped}


def all_verdicts() -> dict:
    """Every net x phase of the corpus; keyed by ``key(rel, phase)``."""
    jobs = [(entry, phase) for entry in files_of("net") for phase in PHASES]
    with ThreadPoolExecutor(WORKERS) as pool:
        found = pool.map(lambda job: verdict(job[0].path, job[1]), jobs)
        return {key(entry.rel, phase): v for (entry, phase), v in zip(jobs, found)}


def recorded(v: dict) -> dict:
    """What the committed record keeps of a verdict (layers are checked live, not stored)."""
    return {k: v[k] for k in ("verdict", "message", "layer", "placeholder_shapes") if k in v}


def main(argv) -> int:
    verdicts = all_verdicts()
    record = {k: recorded(v) for k, v in sorted(verdicts.items())}
    counts = {}
    for v in record.values():
        counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
    print(json.dumps(counts))
    if "--write" in argv:
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"wrote {RECORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
