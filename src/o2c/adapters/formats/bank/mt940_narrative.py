"""The :86: narrative of an MT940 entry: free text, or one of the structures banks put in it.

Banks fill the six lines of 65 characters in their own ways; the ones read here:

- German/Polish GVC (``171?00SEPA LASTSCHRIFT?20EREF+...?30BIC?31IBAN?32NAME``) and the
  Triodos variant with ``>`` as separator: ``?20``-``?29`` and ``?60``-``?63`` are remittance
  text, ``?30`` the counterparty's bank, ``?31``/``?38`` its account, ``?32``/``?33`` its name.
  SEPA keywords inside the text (``EREF+``, ``SVWZ+``, ...) give the end-to-end id and the text.
- SEPA slash keywords (Rabobank, ING, ABN AMRO): ``/EREF/…/BENM//NAME/…/IBAN/…/REMI/…``.
- Knab: ``REK: <IBAN>/NAAM: <name>`` on the last line.

Subfields and keyword values may be broken over lines anywhere, so the lines of a structured
narrative are joined without a separator; a free narrative is joined with single spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from o2c.adapters.formats.bank.common import real_reference

_GVC = re.compile(r"^\s*\d{3}([?>])\d\d")
_SLASH_KEYS = (
    "EREF|ORDP|BENM|TRTP|CNTP|NAME|REMI|IBAN|BIC|ISDT|CSID|MARF|RTRN|PREF|ADDR|ACCW|ULTC|ULTD|ULTB|"
    "PURP|MREF|OCMT|EXCH|CHGS|SVCL|BUSP|ID"
)
_SLASH_START = re.compile(rf"^/({_SLASH_KEYS})/")
_SLASH_FIELD = re.compile(rf"/({_SLASH_KEYS})/")
_SEPA_KEYWORD = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT)\+")
_KNAB = re.compile(r"REK:\s*(?P<account>[A-Z0-9]+)/NAAM:\s*(?P<name>.+)$")
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


@dataclass(frozen=True, slots=True)
class Narrative:
    """What the :86: field says about the counterparty and the reason for the payment."""

    text: str | None = None
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    end_to_end_id: str | None = None
    creditor_reference: str | None = None
    transaction_code: str | None = None


def read_narrative(lines: list[str]) -> Narrative:
    """The narrative of one entry from the lines of its :86: field(s)."""
    joined = "".join(lines)
    gvc = _GVC.match(joined)
    if gvc:
        return _gvc_narrative(joined.strip(), gvc.group(1))
    if _SLASH_START.match(joined.strip()):
        return _slash_narrative(joined.strip())
    return _free_narrative(lines)


def _free_narrative(lines: list[str]) -> Narrative:
    text = _spaced(" ".join(lines))
    knab = _KNAB.search(lines[-1].strip()) if lines else None
    if knab:
        kept = _spaced(" ".join(lines[:-1]))
        return Narrative(text=kept or None, counterparty_name=knab["name"].strip(),
                         counterparty_account=knab["account"])
    return Narrative(text=text or None)


def _gvc_narrative(joined: str, separator: str) -> Narrative:
    code, fields = joined[:3], _subfields(joined[3:], separator)
    purpose = "".join(fields.get(f"{n:02d}", "") for n in (*range(20, 30), *range(60, 64)))
    keywords = _sepa_keywords(purpose)
    text = keywords.get("SVWZ", purpose) if keywords else purpose
    bank = _compact(fields.get("30", ""))
    return Narrative(
        text=_spaced(text) or _spaced(fields.get("00", "")) or None,
        counterparty_name=_spaced(fields.get("32", "") + fields.get("33", "")) or None,
        counterparty_account=_compact(fields.get("38", "") or fields.get("31", "")) or None,
        counterparty_bic=bank if _BIC.match(bank) else None,
        end_to_end_id=real_reference(keywords.get("EREF")),
        transaction_code=code,
    )


def _subfields(body: str, separator: str) -> dict[str, str]:
    parts = re.split(re.escape(separator) + r"(\d\d)", body)
    fields: dict[str, str] = {}
    for number, value in zip(parts[1::2], parts[2::2], strict=False):
        fields[number] = fields.get(number, "") + value
    return fields


def _sepa_keywords(purpose: str) -> dict[str, str]:
    found = list(_SEPA_KEYWORD.finditer(purpose))
    values: dict[str, str] = {}
    for match, following in zip(found, [*found[1:], None], strict=False):
        end = following.start() if following else len(purpose)
        values.setdefault(match.group(1), purpose[match.end():end].strip())
    return values


def _slash_narrative(joined: str) -> Narrative:
    found = list(_SLASH_FIELD.finditer(joined))
    values: dict[str, str] = {}
    for match, following in zip(found, [*found[1:], None], strict=False):
        end = following.start() if following else len(joined)
        values.setdefault(match.group(1), joined[match.end():end].strip().strip("/").strip())
    name, account, bic = values.get("NAME"), values.get("IBAN"), values.get("BIC")
    if values.get("CNTP"):
        account, bic, name = _counterparty(values["CNTP"], account, bic, name)
    remittance, creditor_reference = _remittance(values.get("REMI", ""))
    return Narrative(
        text=_spaced(remittance) or None,
        counterparty_name=_spaced(name or "") or None,
        counterparty_account=_compact(account or values.get("ACCW", "")) or None,
        counterparty_bic=bic or None,
        end_to_end_id=real_reference(values.get("EREF")),
        creditor_reference=creditor_reference,
        transaction_code=values.get("TRTP"),
    )


def _counterparty(cntp: str, account: str | None, bic: str | None, name: str | None) -> tuple[str | None, ...]:
    parts = [*cntp.split("/"), "", "", ""]
    return account or parts[0] or None, bic or parts[1] or None, name or parts[2] or None


def _remittance(remi: str) -> tuple[str, str | None]:
    """Free remittance text, and the creditor reference of a structured one (``STRD/CUR/ref``)."""
    if remi.startswith("USTD//"):
        return remi[6:], None
    if remi.startswith("STRD/"):
        reference = remi.split("/")[-1].strip()
        return reference, reference or None
    return remi, None


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _compact(text: str) -> str:
    return "".join(text.split())
