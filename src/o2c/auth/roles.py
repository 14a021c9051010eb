"""Roles and the permissions they grant.

Roles, from least to most trusted: a viewer reads, a clerk works the queues and may type in the chat
on a customer's behalf, an approver decides proposals, an admin manages users. Each role holds the
rights of the ones below it. A permission names one right; ``Role.permits`` says whether a role holds
it, and ``Permission.least_role`` which role first grants it.

Customers are not users: they talk to o2c through a portal token bound to one customer
(``o2c.auth.portal``), never through a role.
"""

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

    def permits(self, permission: Permission) -> bool:
        return self.allows(permission.least_role)


class Permission(StrEnum):
    READ = "read"
    WORK_QUEUES = "work_queues"
    ACT_FOR_CUSTOMER = "act_for_customer"
    DECIDE = "decide"
    MANAGE_USERS = "manage_users"

    @property
    def least_role(self) -> Role:
        return GRANTED_FROM[self]


GRANTED_FROM = {Permission.READ: Role.VIEWER, Permission.WORK_QUEUES: Role.CLERK,
                Permission.ACT_FOR_CUSTOMER: Role.CLERK, Permission.DECIDE: Role.APPROVER,
                Permission.MANAGE_USERS: Role.ADMIN}
