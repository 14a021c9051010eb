"""Paging parameters shared by the API and the pages: ``q``, ``sort``, ``offset``, ``limit``.

Every list answers a page and says its total (the API in an ``X-Total-Count`` header, so a list's body
stays a list), so no list stops silently at an arbitrary count."""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Query, Response

from o2c.views.paging import MAX_LIMIT, Page, Window, window

TOTAL_HEADER = "X-Total-Count"
T = TypeVar("T")


def page_window(
    q: Annotated[str, Query(max_length=100, description="Search text")] = "",
    sort: Annotated[
        str,
        Query(
            max_length=32,
            pattern=r"^-?[a-z_]*$",
            description="Column to sort by; a leading - sorts descending",
        ),
    ] = "",
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows in the page")] = 50,
) -> Window:
    return window(q, sort, offset, limit)


PageWindow = Annotated[Window, Depends(page_window)]


def with_total(response: Response, page: Page[T]) -> list[T]:
    """The page's rows for the body; the total (and the slice) in headers."""
    response.headers[TOTAL_HEADER] = str(page.total)
    response.headers["X-Offset"] = str(page.offset)
    response.headers["X-Limit"] = str(page.limit)
    return page.items
