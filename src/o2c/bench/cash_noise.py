"""Noise profiles for ``o2c bench cash``: what payers and their banks do to a payment, as data.

A profile (YAML) gives, for each kind of noise, how often it happens and how large it is: bank
charges (share, amount range in the payer's currency, any cents, whether a payer's bank charges the
same each time), early-payment discounts (share, taken on time or late and by how many days), short
pays (share, size, with or without a stated reason), partial payments, overpayments, typos (share,
edits up to N, transpositions), references dropped to a prefix-less number, a bare sequence, the
customer number, the PO or our order number, or missing; several invoices in one payment; parents
paying for subsidiaries; payments in the company currency for foreign-currency invoices (share, rate
move); payer names as banks truncate and transliterate them, new accounts, payment providers; and
duplicate remittances. Every key is validated; an unknown key is an error naming it.

The generator reads only the profile: it knows nothing of the matcher's tolerances, and the matcher
knows nothing of the profile (it reads the payment and the ledger).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, model_validator

from o2c.bench.noise_spans import Span, WholeSpan, _Strict

Share = float


class BankCharges(_Strict):
    """Fees a bank keeps from the payment (SEPA SHA/BEN, SWIFT intermediaries), in the payer's currency."""

    share: Share = Field(ge=0, le=1, description="share of payments that arrive less bank charges")
    amount: Span = Field(description="charge range in the payer's currency")
    any_cents: bool = Field(True, description="charges have any cents (false: whole halves)")
    same_each_time: Share = Field(0.0, ge=0, le=1, description="share of charged payers whose bank charges the "
                                  "same amount each time")


class Discounts(_Strict):
    share: Share = Field(ge=0, le=1, description="share of payments by payers with discount terms taking it")
    late_share: Share = Field(ge=0, le=1, description="of those, the share taken after the terms")
    late_days: WholeSpan = Field(description="how many days after the discount date a late one is paid")


class ShortPays(_Strict):
    share: Share = Field(ge=0, le=1)
    size: Span = Field(description="share of the invoice not paid")
    with_reason: Share = Field(ge=0, le=1, description="share that states a reason in the remittance text")


class SizedShare(_Strict):
    share: Share = Field(ge=0, le=1)
    size: Span = Field(description="share of what was due (paid, for partials; extra, for overpayments)")


class Typos(_Strict):
    share: Share = Field(ge=0, le=1, description="share of quoted invoice numbers mistyped")
    max_edits: int = Field(ge=1, le=4, description="edits per mistyped number, 1 to this")
    transposition_share: Share = Field(ge=0, le=1, description="share of edits that swap two adjacent digits")


class References(_Strict):
    """How the reference is written (each a share of payments; the rest quote full invoice numbers)."""

    prefix_dropped: Share = Field(ge=0, le=1, description="'2026-000123' or '2026000123'")
    sequence_only: Share = Field(ge=0, le=1, description="'000123' alone")
    customer_number_only: Share = Field(ge=0, le=1)
    po_only: Share = Field(ge=0, le=1)
    order_only: Share = Field(ge=0, le=1)
    missing: Share = Field(ge=0, le=1)


class SeveralInvoices(_Strict):
    share: Share = Field(ge=0, le=1, description="share of payments that pay several invoices")
    count: WholeSpan = Field(description="how many invoices such a payment pays")


class Fx(_Strict):
    share: Share = Field(ge=0, le=1, description="share of foreign-currency customers' payments made in EUR")
    move: Span = Field(description="the payer's rate against the reference rate, as a relative move (+/-)")


class PayerNames(_Strict):
    truncate_share: Share = Field(ge=0, le=1, description="names cut by the bank")
    truncate_to: WholeSpan = Field(description="characters kept when cut")
    transliterate_share: Share = Field(ge=0, le=1, description="names upper-cased and transliterated (Ü -> UE)")
    new_account_share: Share = Field(ge=0, le=1, description="payments from an account not in master data")
    provider_share: Share = Field(ge=0, le=1, description="payments through a payment provider's account")


class NoiseProfile(_Strict):
    """Everything the generator draws from; shares are of all payments unless said otherwise."""

    name: str
    description: str = ""
    seed: int = 11
    bank_charges: BankCharges
    discounts: Discounts
    short_pays: ShortPays
    partials: SizedShare
    overpayments: SizedShare
    typos: Typos
    references: References
    several_invoices: SeveralInvoices
    parents_paying: Share = Field(ge=0, le=1, description="share of payments a parent makes for a subsidiary")
    fx: Fx
    payer_names: PayerNames
    duplicate_remittances: Share = Field(ge=0, le=1, description="share of payments sent twice")

    @model_validator(mode="after")
    def _shares_fit(self) -> NoiseProfile:
        amounts = self.bank_charges.share + self.short_pays.share + self.partials.share + self.overpayments.share
        if amounts > 1:
            raise ValueError(f"bank_charges, short_pays, partials and overpayments share {amounts:.2f} > 1")
        r = self.references
        refs = r.prefix_dropped + r.sequence_only + r.customer_number_only + r.po_only + r.order_only + r.missing
        if refs > 1:
            raise ValueError(f"reference shares add up to {refs:.2f} > 1")
        return self


class ProfileError(ValueError):
    """A noise profile that cannot be read: the message names the file and the field."""


def load_profile(path: Path | None = None) -> NoiseProfile:
    """The profile in ``path``, or the shipped default one."""
    if path is None:
        text, source = resources.files("o2c.bench").joinpath("profiles/cash_default.yaml").read_text(), "cash_default.yaml"
    else:
        try:
            text, source = path.read_text(), str(path)
        except OSError as exc:
            raise ProfileError(f"{path}: {exc.strerror or exc}") from None
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{source}: not YAML ({str(exc).splitlines()[0]})") from None
    try:
        return NoiseProfile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}" for e in exc.errors())
        raise ProfileError(f"{source}: {problems}") from None


def profile_schema() -> str:
    """The JSON schema of a noise profile."""
    return json.dumps(NoiseProfile.model_json_schema(), indent=2)


def shipped_profile(name: str) -> Path:
    """The path of a shipped profile ('default', 'harsh', 'lumpy')."""
    return Path(str(resources.files("o2c.bench").joinpath(f"profiles/cash_{name}.yaml")))
