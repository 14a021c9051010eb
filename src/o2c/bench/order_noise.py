"""Noise profiles for ``o2c bench orders``: what customers get wrong (and unusual but right) in orders.

A profile (YAML) says how orders arrive (channels, lines, customer item codes), how customers order
(spread of a line around their usual quantity, which customers have seasonal peaks and how high),
how often an order carries mistakes and how many, of which kinds and how close to the line each is
(how far a price is off, how many times the usual a mistyped quantity is, how long ago a claimed
promotion ended, which impossible dates), and how often an order is unusual yet right (a first order
of a SKU, a delivery weeks ahead, a promotion claimed on its last day). Every key is validated; an
unknown key is an error naming it.

The generator reads only the profile and the world it built; it knows nothing of the checker's
thresholds (those live in the policy's ``order_intake`` section) and the checker knows nothing of
the profile.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from o2c.bench.noise_spans import Span, WholeSpan, _Strict

KINDS = (
    "unknown_customer",
    "unknown_ship_to",
    "unknown_sku",
    "unit_mismatch",
    "price_mismatch",
    "promotion_not_applied",
    "expired_promotion_claimed",
    "po_missing",
    "po_duplicate",
    "date_impossible",
    "quantity_outlier",
    "stock_short",
)


class Arrival(_Strict):
    email_share: float = Field(ge=0, le=1, description="share of orders typed in e-mails (the rest X12 850)")
    lines: WholeSpan = Field(description="lines per EDI order (e-mails: up to half as many)")
    customer_item_codes: float = Field(
        ge=0, le=1, description="share of chain lines sent with the buyer's own code"
    )


class Ordering(_Strict):
    spread: Span = Field(description="a clean line's quantity as a multiple of the customer's usual")
    seasonal_customers: float = Field(ge=0, le=1, description="share of customers with a seasonal peak")
    christmas_share: float = Field(
        ge=0, le=1, description="of those, the share peaking before Christmas (the others in summer)"
    )
    peak_factor: Span = Field(description="how many times its usual a seasonal customer orders in its peak")


class Mistakes(_Strict):
    order_share: float = Field(ge=0, le=1, description="share of orders with at least one mistake")
    per_order: dict[int, float] = Field(description="how many mistakes a bad order carries: count -> weight")
    kinds: dict[str, float] = Field(description="weight of each kind of mistake")
    price_off: Span = Field(description="a wrong price: relative distance from the customer's price")
    quantity_factor: Span = Field(
        description="a mistyped quantity: times the customer's usual for the season"
    )
    quantity_on_seasonal: float = Field(
        ge=0,
        le=1,
        description="share of quantity mistakes made by customers with seasonal peaks (out of their season)",
    )
    promotion_ended_days: WholeSpan = Field(description="days since a wrongly claimed promotion ended")
    ship_to_of_another_customer: float = Field(
        ge=0, le=1, description="share of wrong ship-tos that are another customer's real address"
    )
    date_kinds: dict[str, float] = Field(description="impossible dates: past, today, closed_day -> weight")

    @model_validator(mode="after")
    def _known(self) -> Mistakes:
        if unknown := sorted(set(self.kinds) - set(KINDS)):
            raise ValueError(f"unknown mistake kind(s) {', '.join(unknown)}; known: {', '.join(KINDS)}")
        if unknown := sorted(set(self.date_kinds) - {"past", "today", "closed_day"}):
            raise ValueError(f"unknown date kind(s) {', '.join(unknown)}")
        if not self.per_order or min(self.per_order) < 1 or any(w < 0 for w in self.per_order.values()):
            raise ValueError("per_order needs counts of 1 or more with weights of zero or more")
        if any(w < 0 for w in [*self.kinds.values(), *self.date_kinds.values()]) or not any(
            self.kinds.values()
        ):
            raise ValueError("weights must be zero or more, and some kind must have weight")
        return self


class Unusual(_Strict):
    """Legitimate orders that look odd: they must not be flagged."""

    new_item: float = Field(
        ge=0,
        le=1,
        description="share of orders with a first order of a SKU the customer "
        "never ordered (a trial quantity)",
    )
    far_ahead: float = Field(ge=0, le=1, description="share of orders requested 4 to 8 weeks ahead")
    promotion_last_day: float = Field(
        ge=0, le=1, description="share of orders claiming a promotion on its last valid day"
    )


class OrderNoiseProfile(_Strict):
    name: str
    description: str = ""
    arrival: Arrival
    ordering: Ordering
    mistakes: Mistakes
    unusual: Unusual


class ProfileError(ValueError):
    """A noise profile that cannot be read: the message names the file and the field."""


def load_profile(path: Path | None = None) -> OrderNoiseProfile:
    """The profile in ``path``, or the shipped default one."""
    if path is None:
        path = shipped_profile("default")
    try:
        text = path.read_text()
    except OSError as exc:
        raise ProfileError(f"{path}: {exc.strerror or exc}") from None
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path.name}: not YAML ({str(exc).splitlines()[0]})") from None
    try:
        return OrderNoiseProfile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}" for e in exc.errors())
        raise ProfileError(f"{path}: {problems}") from None


def profile_schema() -> str:
    """The JSON schema of an order noise profile."""
    return json.dumps(OrderNoiseProfile.model_json_schema(), indent=2)


def shipped_profile(name: str) -> Path:
    """The path of a shipped profile ('default', 'harsh')."""
    return Path(str(resources.files("o2c.bench").joinpath(f"profiles/orders_{name}.yaml")))
