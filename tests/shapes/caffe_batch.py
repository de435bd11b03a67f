"""Run many nets through real Caffe in a few child processes (the oracle tier's engine).

Jobs are split across ``WORKERS`` children; each child imports Caffe once and
instantiates its nets one after another.  When Caffe aborts on a net (a glog
fatal), the parent records that net's fatal line and starts a new child at the
next job, so one bad net never costs more than one restart.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

from prototxt_tools.caffe.glog import fatal_line
from prototxt_tools.caffe.runner import child_env

CHILD = Path(__file__).with_name("caffe_child.py")
WORKERS = 2
TIMEOUT = 240.0


def run_jobs(jobs: List[dict], python_dir: str) -> Dict[str, dict]:
    """key -> Caffe's description ({"blobs", "params"[, "values"]}) or {"fatal": message}."""
    chunks = [jobs[i::WORKERS] for i in range(WORKERS)]
    results: Dict[str, dict] = {}
    with ThreadPoolExecutor(WORKERS) as pool:
        for found in pool.map(lambda chunk: _run_chunk(chunk, python_dir), chunks):
            results.update(found)
    return results


def _run_chunk(jobs: List[dict], python_dir: str) -> Dict[str, dict]:
    workdir = tempfile.mkdtemp(prefix="ptx-oracle-")
    results: Dict[str, dict] = {}
    try:
        pending = list(jobs)
        while pending:
            stderr = _child(pending, workdir, python_dir)
            done = _read(os.path.join(workdir, "out.jsonl"))
            results.update(done)
            pending = [job for job in pending if job["key"] not in done]
            if pending:   # the first pending job is the one Caffe died on
                fatal = fatal_line(stderr)
                results[pending[0]["key"]] = {"fatal": fatal.message if fatal else stderr[-300:]}
                pending = pending[1:]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def _child(jobs: List[dict], workdir: str, python_dir: str) -> str:
    jobs_file = os.path.join(workdir, "jobs.json")
    with open(jobs_file, "w") as fh:
        json.dump(jobs, fh)
    out_file = os.path.join(workdir, "out.jsonl")
    if os.path.exists(out_file):
        os.unlink(out_file)
    env = child_env(python_dir, workdir)
    env["GLOG_minloglevel"] = "2"
    proc = subprocess.run([sys.executable, str(CHILD), jobs_file, out_file], cwd=workdir, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=TIMEOUT)
    return proc.stderr.decode("utf-8", "replace")


def _read(path: str) -> Dict[str, dict]:
    found = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if line.strip():
                    entry = json.loads(line)
                    found[entry.pop("key")] = entry
    return found
