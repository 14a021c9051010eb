"""Scenario files: the sizes and rates of the simulated world, read from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Behaviour:
    share: float
    delay: tuple[int, int]


@dataclass(frozen=True)
class Scenario:
    seed: int
    start_date: date
    days: int
    company: dict[str, str]
    customers: dict[str, int]
    countries: dict[str, float]
    products: int
    orders_per_week: dict[str, float]
    lines_per_order: dict[str, tuple[int, int]]
    partial_shipment_rate: float
    transit_days: tuple[int, int]
    payment_behaviour: dict[str, Behaviour]
    short_pay_rate: float
    combined_payment_rate: float
    credit_limit_tight_share: float
    fx: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    disruptions: dict[str, float] = field(default_factory=dict)
    order_error_rate: float = 0.08
    order_error_kinds: dict[str, float] = field(default_factory=dict)
    scarce_sku_share: float = 0.02
    customer_behaviour: dict[str, Any] = field(default_factory=dict)


def _scenario(raw: dict[str, Any]) -> Scenario:
    return Scenario(
        seed=int(raw["seed"]),
        start_date=raw["start_date"] if isinstance(raw["start_date"], date) else date.fromisoformat(raw["start_date"]),
        days=int(raw["days"]),
        company={k: str(v) for k, v in raw["company"].items()},
        customers={k: int(v) for k, v in raw["customers"].items()},
        countries={k: float(v) for k, v in raw["countries"].items()},
        products=int(raw["products"]),
        orders_per_week={k: float(v) for k, v in raw["orders_per_week"].items()},
        lines_per_order={k: (int(v[0]), int(v[1])) for k, v in raw["lines_per_order"].items()},
        partial_shipment_rate=float(raw["partial_shipment_rate"]),
        transit_days=(int(raw["transit_days"][0]), int(raw["transit_days"][1])),
        payment_behaviour={k: Behaviour(float(v["share"]), (int(v["delay"][0]), int(v["delay"][1])))
                           for k, v in raw["payment_behaviour"].items()},
        short_pay_rate=float(raw["short_pay_rate"]),
        combined_payment_rate=float(raw["combined_payment_rate"]),
        credit_limit_tight_share=float(raw["credit_limit_tight_share"]),
        fx={k: (Decimal(str(v["start"])), Decimal(str(v["daily_vol"]))) for k, v in raw.get("fx", {}).items()},
        disruptions={k: float(v) for k, v in (raw.get("disruptions") or {}).items()},
        order_error_rate=float(raw.get("order_error_rate", 0.08)),
        order_error_kinds={k: float(v) for k, v in (raw.get("order_error_kinds") or {}).items()},
        scarce_sku_share=float(raw.get("scarce_sku_share", 0.02)),
        customer_behaviour=dict(raw.get("customer_behaviour") or {}),
    )


def load_scenario(path: Path | None = None, **overrides: Any) -> Scenario:
    text = path.read_text() if path else resources.files("o2c.sim").joinpath("default_scenario.yaml").read_text()
    raw = yaml.safe_load(text)
    raw.update({k: v for k, v in overrides.items() if v is not None})
    return _scenario(raw)
