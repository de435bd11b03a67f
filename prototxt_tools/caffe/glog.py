"""Read Caffe's glog output: the fatal line, the layer it names, protobuf parse errors.

glog fatals look like ``F0117 10:22:01.123456 4242 insert_splits.cpp:29] Unknown
bottom blob 'label' (layer 'accuracy', bottom index 1)``.  The message is what
users search for, so ptx prints it verbatim; the ``file:line`` is Caffe's
source location, kept as a hint.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Tuple

_FATAL = re.compile(r"^F\d{4,8} [\d:.]+\s+\d+ ([\w./-]+:\d+)\] (.*)$")
_PARSE = re.compile(r"Error parsing text-format caffe\.(\w+): (\d+):(\d+): (.*)$")
_CREATING = re.compile(r"\] Creating [Ll]ayer ?(\S*)$")  # "" for an unnamed layer
_INIT_DONE = "Network initialization done"
_IGNORING = re.compile(r"\] Ignoring source layer (\S+)$")
_GLOG_LINE = re.compile(r"^[IWEF]\d{4,8} ")
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b(: |$)")
# How Caffe's messages name a layer, most specific first.
_LAYER_PATTERNS = (re.compile(r"[Ll]ayer '([^']+)'"),
                   re.compile(r"(?:for|at) [Ll]ayer (\S+?)[.,;:)]?(?:\s|$)"),
                   re.compile(r"'([^']+)'"))


@dataclass
class Fatal:
    """Caffe's fatal message, its source location, and the prototxt position it concerns."""

    message: str
    where: str                                   # Caffe source file:line, "" when unknown
    layer: Optional[str] = None                  # layer named by the message (or being set up)
    position: Optional[Tuple[int, int]] = None   # (line, col) in the prototxt when known


def fatal_line(stderr: str) -> Optional[Fatal]:
    """The first glog fatal in ``stderr``, refined by a protobuf parse error when present."""
    lines = stderr.splitlines()
    fatal = None
    for line in lines:
        match = _FATAL.match(line.strip())
        if match:
            fatal = Fatal(match.group(2).strip(), match.group(1))
            break
    parse = _parse_error(lines)
    if parse is not None:
        message, position = parse
        return Fatal(message, fatal.where if fatal else "", None, position)
    return fatal


def _parse_error(lines: List[str]):
    for line in lines:
        match = _PARSE.search(line)
        if match:
            return match.group(4).strip(), (int(match.group(2)), int(match.group(3)))
    return None


def named_layer(message: str, layer_names: Iterable[str]) -> Optional[str]:
    """The user's layer a Caffe message is about, when it names one."""
    names = set(layer_names)
    for pattern in _LAYER_PATTERNS:
        for candidate in pattern.findall(message):
            if candidate in names:
                return candidate
    return None


def layer_being_set_up(stderr: str) -> Optional[str]:
    """The last ``Creating Layer X`` before the net finished initialising, if it did not."""
    last = None
    for line in stderr.splitlines():
        if _INIT_DONE in line:
            return None
        match = _CREATING.search(line.strip())
        if match:
            last = match.group(1)
    return last


def ignored_source_layers(stderr: str) -> List[str]:
    """Layers of a caffemodel that Caffe skipped because the net has no layer of that name."""
    return [m.group(1) for m in map(_IGNORING.search, stderr.splitlines()) if m]


def python_exception(stderr: str) -> Optional[str]:
    """The exception line of the last Python error Caffe printed (PyErr_Print in its Python
    layer factory), e.g. ``ModuleNotFoundError: No module named 'rpn'``; None if there is none.
    A failed import prints that line alone, an error in the module a traceback first."""
    found = None
    for line in stderr.splitlines():
        if _GLOG_LINE.match(line) or not line.strip() or line[0].isspace():
            continue
        if _EXCEPTION.match(line) and not line.startswith("Traceback"):
            found = line.strip()
    return found
