"""The clock port: time is injected so that the demo can run months in seconds.

A company has one "today": the books' date when one is set (the demo sets its last simulated day;
``o2c today --set DATE``), the wall clock otherwise. ``CompanyClock`` is what every command, page and
agent reads in normal running; ``SimClock`` is what the simulation moves forward.
"""

from __future__ import annotations

import time as monotonic_time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def today(self) -> date:
        return self.now().date()


@dataclass
class CompanyClock:
    """The books' date when one is set, with the wall clock's time of day; the wall clock otherwise.

    ``stored_today`` reads the setting (None: none set); it is read again after ``refresh_s`` seconds,
    so a long-running server follows ``o2c today --set`` without a restart.
    """

    stored_today: Callable[[], date | None]
    wall: Clock = field(default_factory=SystemClock)
    refresh_s: float = 5.0
    _cached: tuple[float, date | None] | None = field(default=None, init=False, repr=False)

    def books_date(self) -> date | None:
        stamp = monotonic_time.monotonic()
        if self._cached is None or stamp - self._cached[0] > self.refresh_s:
            self._cached = (stamp, self.stored_today())
        return self._cached[1]

    def forget(self) -> None:
        """Read the setting again on the next call (after it was changed in this process)."""
        self._cached = None

    def now(self) -> datetime:
        wall = self.wall.now()
        day = self.books_date()
        return wall if day is None else datetime.combine(day, wall.time())

    def today(self) -> date:
        return self.now().date()


@dataclass
class SimClock:
    """A clock the simulation moves forward; ``tick`` adds seconds so audit times stay ordered."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance_to(self, moment: datetime) -> None:
        if moment < self.current:
            raise ValueError("simulated time does not go backwards")
        self.current = moment

    def tick(self, seconds: int = 1) -> None:
        self.current += timedelta(seconds=seconds)
