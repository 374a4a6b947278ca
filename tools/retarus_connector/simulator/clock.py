"""Time for the simulator, injectable so tests can move it instead of sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The wall clock, for the real HTTP server."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until told to move; safe to share between threads."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock start must be timezone-aware")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move forward by `seconds` (never backwards) and return the new time."""
        step = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
        if step < timedelta(0):
            raise ValueError("ManualClock cannot go backwards")
        with self._lock:
            self._now += step
            return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment`, which must not be earlier than now."""
        if moment.tzinfo is None:
            raise ValueError("ManualClock time must be timezone-aware")
        with self._lock:
            if moment < self._now:
                raise ValueError("ManualClock cannot go backwards")
            self._now = moment
