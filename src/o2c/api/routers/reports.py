"""Reports and worklists: the dashboard figures, the collections worklist, the inbox and the audit trail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from o2c.api.deps import Reader, Viewer
from o2c.api.paging import TOTAL_HEADER, PageWindow, with_total
from o2c.api.routers.common import AUTH_ERRORS
from o2c.api.schemas import AuditTrailOut, DashboardOut, FiguresOut, WorkItemOut
from o2c.views import audit_trail, collections, dashboard, figures

router = APIRouter(prefix="/api", tags=["reports"], responses=AUTH_ERRORS)


@router.get("/dashboard", response_model=DashboardOut)
def get_dashboard(uow: Reader, _: Viewer, as_of: date | None = None) -> dashboard.Dashboard:
    """DSO trend, aging, open AR by currency and segment, automation rates, disputes and agent activity."""
    return dashboard.dashboard(uow, as_of)


@router.get("/figures", response_model=FiguresOut)
def get_figures(uow: Reader, _: Viewer, as_of: date | None = None) -> FiguresOut:
    """The headline figures every screen shows: waiting items, open AR per currency, DSO, cash matched share."""
    f = figures.figures(uow, as_of)
    return FiguresOut.model_validate({**{k: getattr(f, k) for k in f.__slots__},  # type: ignore[attr-defined]
                                      "waiting": {**asdict(f.waiting), "total": f.waiting.total}})


@router.get("/collections/worklist", response_model=list[WorkItemOut])
def worklist(uow: Reader, _: Viewer, w: PageWindow, response: Response, as_of: date | None = None,
             bucket: Annotated[str, Query(max_length=8)] = "") -> list[collections.WorkItem]:
    """Overdue receivables ranked by amount x days overdue (converted to the functional currency), a page
    at a time (``offset``, ``limit``; the total in ``X-Total-Count``); ``bucket`` such as ``31-60``."""
    return with_total(response, collections.worklist_page(uow, w, as_of, bucket))


@router.get("/audit", response_model=AuditTrailOut)
def audit(uow: Reader, _: Viewer, w: PageWindow, response: Response,
          subject: Annotated[str, Query(max_length=200)] = "", actor: Annotated[str, Query(max_length=64)] = "",
          action: Annotated[str, Query(max_length=64)] = "") -> audit_trail.AuditTrail:
    """Audit records, newest first, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``),
    and whether the hash chain verifies."""
    page = audit_trail.record_page(uow, w, subject, actor, action)
    response.headers[TOTAL_HEADER] = str(page.total)
    checked = audit_trail.trail(uow, limit=1)
    return audit_trail.AuditTrail(page.items, checked.verified, checked.problems)
