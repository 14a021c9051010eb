"""Domain errors: each names the rule that was broken, in words a clerk understands."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an operation."""


class CurrencyMismatch(DomainError):
    def __init__(self, left: str, right: str) -> None:
        super().__init__(f"cannot combine {left} with {right}")
        self.left, self.right = left, right


class UnknownCurrency(DomainError):
    pass


class AmountOutOfRange(DomainError, ValueError):
    """An amount beyond what any O2C document carries (and what the store's integers hold)."""


class UnbalancedEntry(DomainError):
    pass


class OverApplication(DomainError):
    """An application would take an open item below zero."""


class ImmutableDocument(DomainError):
    """An issued document was asked to change."""


class InvalidTransition(DomainError):
    pass


class PolicyError(DomainError):
    pass
