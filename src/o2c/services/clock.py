"""The clock port: time is injected so that the demo can run months in seconds."""

from __future__ import annotations

from dataclasses import dataclass
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
