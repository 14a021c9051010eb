"""A page of a long list: which slice a person sees, how many there are in all, and how it is sorted.

Lists that can grow (customers, audit records, payments, worklist items, proposals) are read a page at
a time and always say their total, so nothing stops silently at an arbitrary count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Window:
    """What a person asked for: a search text, a sort key (``-`` first for descending), a slice."""

    q: str = ""
    sort: str = ""
    offset: int = 0
    limit: int = 50

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def key(self) -> str:
        return self.sort.lstrip("-")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)

    @property
    def previous_offset(self) -> int | None:
        return None if self.offset <= 0 else max(0, self.offset - self.limit)

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def window(q: str = "", sort: str = "", offset: int = 0, limit: int = 50) -> Window:
    """A window with its numbers kept in range (negative offsets to 0, limits to 1..MAX_LIMIT)."""
    return Window(q.strip(), sort.strip(), max(0, offset), min(max(1, limit), MAX_LIMIT))


def page_of(
    rows: Sequence[T],
    w: Window,
    keys: dict[str, Callable[[T], Any]],
    matches: Callable[[T, str], bool] | None = None,
) -> Page[T]:
    """Search, sort and slice a list held in memory; unknown sort keys keep the list's own order."""
    found = [r for r in rows if matches(r, w.q.lower())] if (w.q and matches) else list(rows)
    if w.key in keys:
        found.sort(key=keys[w.key], reverse=w.descending)
    return Page(found[w.offset : w.offset + w.limit], len(found), w.offset, w.limit)
