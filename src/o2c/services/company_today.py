"""Setting the company's one "today" (the books' date), audited; None puts the company on the wall clock."""

from __future__ import annotations

from datetime import date

from o2c.adapters.store.company_clock_store import set_stored_today, stored_today
from o2c.adapters.store.uow import UnitOfWork


def set_company_today(uow: UnitOfWork, day: date | None, actor: str) -> None:
    """Move the books' date to ``day`` (or back to the wall clock) and record who did it."""
    before = stored_today(uow.conn)
    set_stored_today(uow.conn, day, actor)
    uow.audit.append(
        uow.clock.now(),
        actor,
        "set_company_today",
        "company:today",
        "the books' date set" if day else "back to the wall clock",
        {"before": before.isoformat() if before else None, "after": day.isoformat() if day else None},
    )
