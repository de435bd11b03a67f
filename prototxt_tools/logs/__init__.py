"""Caffe training logs: parse (``load_log``), CSV like parse_log.py, plots, diagnosis."""
from __future__ import annotations

from .model import COMPLETED, CRASHED, INCOMPLETE, KILLED, Row, Run, TrainingLog
from .parser import LogParser
from .reader import load_log, parse_log_text

__all__ = ["COMPLETED", "CRASHED", "INCOMPLETE", "KILLED", "Row", "Run", "TrainingLog",
           "LogParser", "load_log", "parse_log_text"]
