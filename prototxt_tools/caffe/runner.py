"""Find pycaffe and run one job in a child process, with a time limit and no leftovers.

The child gets a private temporary directory (its cwd, TMPDIR and glog's
log_dir), which is removed whatever happens: success, Caffe abort, crash,
timeout or Ctrl-C.  glog writes to the captured stderr only.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import PtxError

DEFAULT_PREFIX = Path.home() / ".cache" / "ptx" / "caffe"
CHILD = Path(__file__).with_name("child.py")
HOW_TO_GET = ("pycaffe not found: build upstream CPU Caffe with tools/build-caffe.sh from the ptx "
              "repository (about 5 minutes), or point at an existing build with --caffe PREFIX "
              "or PTX_CAFFE_PREFIX")


class CaffeUnavailable(PtxError):
    """pycaffe is missing, or Caffe crashed / hung: not a verdict on the net (exit 2)."""


@dataclass
class ChildOutcome:
    """What came back from one child run; ``result`` is None when Caffe aborted or crashed."""

    result: Optional[dict]
    stderr: str
    returncode: int
    workdir: str      # already deleted; kept to recognise its paths in Caffe's messages
    caffe: Optional[dict] = None   # which pycaffe answered and its layer types (child's caffe.json)


def pycaffe_path(prefix: Optional[str] = None) -> Optional[str]:
    """The dir to put on PYTHONPATH for pycaffe; "" when ``import caffe`` already works here;
    None when there is none.  ``prefix`` (``--caffe``) names one build and nothing else counts."""
    if prefix:
        found = python_dir_of(prefix)
        if found is None:
            raise CaffeUnavailable(f"--caffe {prefix}: no pycaffe there (looked for "
                                   f"{Path(prefix) / 'python' / 'caffe'} and {Path(prefix) / 'caffe'})")
        return found
    if _importable_pycaffe():
        return ""
    for candidate in (os.environ.get("PTX_CAFFE_PREFIX"), str(DEFAULT_PREFIX)):
        found = python_dir_of(candidate) if candidate else None
        if found is not None:
            return found
    return None


def python_dir_of(prefix: str) -> Optional[str]:
    """PREFIX/python (an install or a source tree after ``make pycaffe``), or PREFIX itself
    when it holds the ``caffe`` package (a PYTHONPATH entry)."""
    for candidate in (Path(prefix) / "python", Path(prefix)):
        if (candidate / "caffe" / "__init__.py").is_file():
            return str(candidate.resolve())
    return None


def has_input_layer(python_dir: str) -> bool:
    """Whether the pycaffe in ``python_dir`` ("" : the importable one) knows the Input layer
    (upstream since 2016): its caffe_pb2 defines InputParameter.  Read from the generated
    module's text, without importing Caffe here; True when that file cannot be found."""
    package = Path(python_dir) / "caffe" if python_dir else _importable_package()
    try:
        text = (package / "proto" / "caffe_pb2.py").read_bytes() if package else None
    except OSError:
        text = None
    return text is None or b"InputParameter" in text


def registry_from_tool(python_dir: str, timeout: float = 30.0) -> Optional[list]:
    """The layer types of the build whose pycaffe is ``python_dir`` (PREFIX/python), from its
    ``caffe`` tool (PREFIX/bin/caffe): Caffe lists its registry when asked for an unknown type.
    For a pycaffe without ``layer_type_list`` (before 2016); None when there is no such tool."""
    tool = Path(python_dir).parent / "bin" / "caffe" if python_dir else None
    if tool is None or not tool.is_file():
        return None
    workdir = tempfile.mkdtemp(prefix="ptx-caffe-")
    try:
        net = os.path.join(workdir, "net.prototxt")
        with open(net, "w") as fh:
            fh.write('layer { name: "x" type: "PtxNoSuchLayerType" top: "x" }\n')
        proc = subprocess.run([str(tool), "time", f"--model={net}"], cwd=workdir,
                              env=child_env("", workdir), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    found = re.search(r"\(known types: ([^)]*)\)", proc.stderr.decode("utf-8", "replace"))
    return found.group(1).split(", ") if found else None


def _importable_package() -> Optional[Path]:
    try:
        spec = importlib.util.find_spec("caffe")
    except (ImportError, ValueError):
        return None
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def _importable_pycaffe() -> bool:
    """A real pycaffe on sys.path (a mere ``caffe/`` directory, e.g. tests/caffe, is not one)."""
    try:
        spec = importlib.util.find_spec("caffe")
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.origin or not spec.submodule_search_locations:
        return False
    package = Path(spec.origin).parent
    return any(package.glob("_caffe*.so")) or any(package.glob("_caffe*.pyd"))


def require_pycaffe(prefix: Optional[str] = None) -> str:
    found = pycaffe_path(prefix)
    if found is None:
        raise CaffeUnavailable(HOW_TO_GET)
    return found


def child_env(python_dir: str, workdir: str) -> dict:
    env = dict(os.environ)
    if python_dir:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (python_dir, env.get("PYTHONPATH")) if p)
    env.update(GLOG_logtostderr="1", GLOG_minloglevel="0", GLOG_log_dir=workdir,
               TMPDIR=workdir, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def run_job(job: dict, net_text: str, timeout: float, python_dir: str) -> ChildOutcome:
    """Write the net and job into a fresh directory, run the child, read its result."""
    workdir = tempfile.mkdtemp(prefix="ptx-caffe-")
    try:
        net_file = os.path.join(workdir, "net.prototxt")
        with open(net_file, "w", encoding="utf-8", newline="") as fh:
            fh.write(net_text)
        job = dict(job, net=net_file)
        for key in ("save_weights",):
            if job.get(key):
                job[key] = os.path.abspath(job[key])
        with open(os.path.join(workdir, "job.json"), "w") as fh:
            json.dump(job, fh)
        stderr, code = _run_child(workdir, timeout, child_env(python_dir, workdir))
        return ChildOutcome(_read_json(workdir, "result.json"), stderr, code, workdir,
                            _read_json(workdir, "caffe.json"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run_child(workdir: str, timeout: float, env: dict):
    proc = subprocess.Popen([sys.executable, str(CHILD), workdir], cwd=workdir, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        message = f"Caffe did not finish within {timeout:g}s (raise --timeout)"
        raise CaffeUnavailable(message) from None
    except BaseException:
        _kill(proc)
        raise
    return err.decode("utf-8", "replace"), proc.returncode


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def _read_json(workdir: str, name: str) -> Optional[dict]:
    try:
        with open(os.path.join(workdir, name)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None
