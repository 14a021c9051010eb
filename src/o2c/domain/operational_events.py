"""Operational events: typed facts from outside order-to-cash that may hurt a promise to a customer.

Production (a line breakdown and its restart), the warehouse (stockouts, arrivals, count corrections),
carriers (shipment status and ETA, a general delay notice for a region, a missed pickup, a proof of
delivery with shortages or damages), finance (credit blocks) and master data (changes and errors).
Each class names its ``kind``: the word a file drop or the API uses for it. Plain values only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class LineBreakdown:
    """A production line stopped; ``skus`` cannot be made for ``expected_hours``."""

    kind: ClassVar[str] = "line_breakdown"
    line: str
    skus: tuple[str, ...]
    expected_hours: int


@dataclass(frozen=True, slots=True)
class LineRestored:
    kind: ClassVar[str] = "line_restored"
    line: str


@dataclass(frozen=True, slots=True)
class Stockout:
    """No free stock of ``sku`` at ``warehouse`` (None: anywhere) until ``expected_back``."""

    kind: ClassVar[str] = "stockout"
    warehouse: str | None
    sku: str
    expected_back: date | None = None


@dataclass(frozen=True, slots=True)
class StockArrival:
    kind: ClassVar[str] = "stock_arrival"
    warehouse: str | None
    sku: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class StockAdjustment:
    """A count correction (negative: lost, damaged, found missing)."""

    kind: ClassVar[str] = "stock_adjustment"
    warehouse: str
    sku: str
    quantity: Decimal
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ShipmentUpdate:
    """A carrier's status for one delivery: ``in_transit``, ``delayed``, ``exception`` or ``delivered``."""

    kind: ClassVar[str] = "shipment_update"
    delivery_id: str
    status: str
    eta: date | None = None


@dataclass(frozen=True, slots=True)
class CarrierDelayNotice:
    """A carrier's general notice: deliveries into ``region`` (a country) run ``delay_days`` late."""

    kind: ClassVar[str] = "carrier_delay"
    carrier: str
    region: str
    delay_days: int


@dataclass(frozen=True, slots=True)
class MissedPickup:
    """The carrier did not collect at ``warehouse`` on ``on``; next collection ``next_pickup``."""

    kind: ClassVar[str] = "missed_pickup"
    carrier: str
    warehouse: str
    on: date
    next_pickup: date


@dataclass(frozen=True, slots=True)
class ProofOfDelivery:
    """A signed POD; ``shortages`` and ``damages`` are quantities per SKU the customer did not get whole."""

    kind: ClassVar[str] = "proof_of_delivery"
    delivery_id: str
    reference: str
    shortages: dict[str, Decimal] = field(default_factory=dict)
    damages: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreditBlock:
    kind: ClassVar[str] = "credit_block"
    customer_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class CreditBlockLifted:
    kind: ClassVar[str] = "credit_block_lifted"
    customer_id: str


@dataclass(frozen=True, slots=True)
class MasterDataChange:
    """A changed master record: ``field`` is price, ship_to_address, vat_id or bank_account."""

    kind: ClassVar[str] = "master_data_change"
    record: str
    key: str
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class MasterDataError:
    """A wrong master record: ``problem`` is missing_gtin, unit_mismatch or blocked_ship_to."""

    kind: ClassVar[str] = "master_data_error"
    record: str
    key: str
    problem: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class MasterDataFixed:
    kind: ClassVar[str] = "master_data_fixed"
    record: str
    key: str
    problem: str


OperationalEvent = (LineBreakdown | LineRestored | Stockout | StockArrival | StockAdjustment | ShipmentUpdate
                    | CarrierDelayNotice | MissedPickup | ProofOfDelivery | CreditBlock | CreditBlockLifted
                    | MasterDataChange | MasterDataError | MasterDataFixed)

EVENT_KINDS: dict[str, type[OperationalEvent]] = {cls.kind: cls for cls in (
    LineBreakdown, LineRestored, Stockout, StockArrival, StockAdjustment, ShipmentUpdate, CarrierDelayNotice,
    MissedPickup, ProofOfDelivery, CreditBlock, CreditBlockLifted, MasterDataChange, MasterDataError,
    MasterDataFixed)}
