"""Roles, from least to most trusted: a viewer reads, a clerk works the queues, an approver decides
proposals, an admin manages users. Each role holds the rights of the ones below it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    CLERK = "clerk"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role holds at least the rights of ``needed``."""
        return self.rank >= needed.rank
