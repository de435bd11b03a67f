"""glog timestamps (``MMDD hh:mm:ss.uuuuuu``, no year) to seconds since the run started.

Like parse_log.py, time counts from the first "Solving" line and a month that goes
backwards means the year rolled over.  The year itself is unknown; a fixed
non-leap year is used, so a run crossing a 29 February is off by a day (parse_log.py
takes the file's creation year instead, which changes when the file is copied).
"""
from __future__ import annotations

import datetime
from typing import Optional

_BASE_YEAR = 2001


class Clock:
    def __init__(self):
        self.year = _BASE_YEAR
        self.month = 0
        self.now: Optional[datetime.datetime] = None
        self.start: Optional[datetime.datetime] = None

    def tick(self, date: str, time: str) -> None:
        month, day = int(date[:2]), int(date[2:])
        if month < self.month:
            self.year += 1
        self.month = month
        try:
            hms, _, micro = time.partition(".")
            hour, minute, second = (int(p) for p in hms.split(":"))
            self.now = datetime.datetime(self.year, month, day, hour, minute, second,
                                         int(micro[:6].ljust(6, "0")))
        except ValueError:
            return  # a garbled stamp keeps the previous time

    def start_once(self) -> None:
        if self.start is None:
            self.start = self.now

    @property
    def seconds(self) -> Optional[float]:
        if self.now is None:
            return None
        start = self.start if self.start is not None else self.now
        if self.start is None:
            self.start = start
        return round((self.now - start).total_seconds(), 6)
