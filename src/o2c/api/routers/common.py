"""Small helpers for routers: 404 for a missing resource and the standard error responses."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import HTTPException, Path, status

from o2c.api.schemas import Problem

T = TypeVar("T")

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No or unknown API token"},
    403: {"model": Problem, "description": "The token's role is too low"},
}
REFUSED: dict[int | str, dict[str, Any]] = {409: {"model": Problem, "description": "A business rule refused it"}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such resource"}}


def found(value: T | None, what: str) -> T:
    if value is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no {what}")
    return value


EntryId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The quarantine entry's number")]
"""A quarantine entry's number in a path: out-of-range numbers are refused (422), never sent to the database."""
