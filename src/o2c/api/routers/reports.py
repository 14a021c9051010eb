"""Reports and worklists: the dashboard figures, the collections worklist, the inbox and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from o2c.api.deps import Reader, Viewer
from o2c.api.routers.common import AUTH_ERRORS
from o2c.api.schemas import AuditTrailOut, DashboardOut, WorkItemOut
from o2c.views import audit_trail, collections, dashboard

router = APIRouter(prefix="/api", tags=["reports"], responses=AUTH_ERRORS)


@router.get("/dashboard", response_model=DashboardOut)
def get_dashboard(uow: Reader, _: Viewer, as_of: date | None = None) -> dashboard.Dashboard:
    """DSO trend, aging, open AR by currency and segment, automation rates, disputes and agent activity."""
    return dashboard.dashboard(uow, as_of)


@router.get("/collections/worklist", response_model=list[WorkItemOut])
def worklist(uow: Reader, _: Viewer, as_of: date | None = None,
             limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[collections.WorkItem]:
    """Overdue receivables ranked by amount x days overdue."""
    return collections.worklist(uow, as_of, limit)


@router.get("/audit", response_model=AuditTrailOut)
def audit(uow: Reader, _: Viewer, subject: Annotated[str | None, Query(max_length=100)] = None,
          actor: Annotated[str | None, Query(max_length=64)] = None,
          action: Annotated[str | None, Query(max_length=64)] = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> audit_trail.AuditTrail:
    """Audit records, newest first, and whether the hash chain verifies."""
    return audit_trail.trail(uow, subject, actor, action, limit)
