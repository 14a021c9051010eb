"""X12 820: separators from the ISA header, envelope controls, short pays and adjustments."""

from __future__ import annotations

from datetime import date

import pytest
from bank_samples import sample

from o2c.adapters.formats.bank import FormatError, x12_820
from o2c.domain.money import Money


def interchange(*body: str, se_count: int | None = None) -> bytes:
    isa = ("ISA*00*" + " " * 10 + "*00*" + " " * 10 + "*ZZ*" + "BARCENTRAAL".ljust(15) + "*ZZ*"
           + "O2CDRINKS".ljust(15) + "*240301*1200*U*00401*000000001*0*P*>~")
    assert len(isa) == 106
    transaction = ["ST*820*0001", *body]
    count = se_count if se_count is not None else len(transaction) + 1
    segments = [isa.removesuffix("~"), "GS*RA*BAR*O2C*20240301*1200*1*X*004010", *transaction,
                f"SE*{count}*0001", "GE*1*1", "IEA*1*000000001"]
    return ("~\n".join(segments) + "~\n").encode()


SHORT_PAY = (
    "BPR*I*915*C*ACH*CCP*01*011000015*DA*123456*1234567890**01*011000015*DA*654321*20240305",
    "TRN*1*PAY-77*1234567890",
    "N1*PR*Bar Centraal*91*C-1001",
    "N1*PE*o2c Drinks",
    "ENT*1",
    "RMR*IV*INV-1001*PI*500*500",
    "RMR*IV*INV-1002*PI*440*500*10",
    "ADX*-50*CS",
    "REF*PO*PO-88",
    "DTM*003*20240201",
    "ENT*2",
    "ADX*-25*72*IV*INV-0999",
)


def test_short_pay_line_keeps_invoice_amount_paid_amount_and_the_reason():
    advice, = x12_820.parse(interchange(*SHORT_PAY), "short.x12").remittances
    assert (advice.payment_reference, advice.payment_amount, advice.payment_date) == (
        "PAY-77", Money.of("915", "USD"), date(2024, 3, 5))
    assert (advice.payer_name, advice.payer_id, advice.method, advice.payment_format) == (
        "Bar Centraal", "C-1001", "ACH", "CCP")
    paid_in_full, short, deduction = advice.lines
    assert paid_in_full.short_paid == Money.of("0", "USD")
    assert (short.document, short.invoice_amount, short.amount_paid) == (
        "INV-1002", Money.of("500", "USD"), Money.of("440", "USD"))
    assert (short.short_paid, short.discount, short.adjustment, short.adjustment_reason) == (
        Money.of("60", "USD"), Money.of("10", "USD"), Money.of("-50", "USD"), "CS")
    assert short.unexplained_difference == Money.of("0", "USD")
    assert (short.references, short.document_date) == ((("PO", "PO-88"),), date(2024, 2, 1))
    assert (deduction.document, deduction.amount_paid, deduction.adjustment_reason) == (
        "INV-0999", Money.of("-25", "USD"), "72")
    assert advice.unexplained_difference.is_zero()


def test_wrong_se_segment_count_is_refused_naming_the_segment():
    with pytest.raises(FormatError) as refused:
        x12_820.parse(interchange(*SHORT_PAY, se_count=12), "count.x12")
    assert refused.value.field == "SE01" and refused.value.line == 16
    assert "SE01 says 12 segments, but the transaction set 0001 has 14 (ST to SE)" in str(refused.value)


def test_wrong_se_count_in_the_safeway_sample_is_refused():
    data = sample("remittance/x12_820/820-004010-01.x12").replace(b"SE*39*", b"SE*38*")
    with pytest.raises(FormatError, match=r"820.x12: line 41, SE01: segment 41 \(SE\): SE01 says 38 segments"):
        x12_820.parse(data, "820.x12")


def test_wrong_group_control_number_is_refused_naming_ge02():
    data = interchange(*SHORT_PAY).replace(b"GE*1*1~", b"GE*1*2~")
    with pytest.raises(FormatError, match=r"GE02 says '2', but GS06 is '1'"):
        x12_820.parse(data, "ge.x12")


def test_separators_are_read_from_the_isa_header():
    original = sample("remittance/x12_820/820-004010-01.x12")
    rewritten = original.replace(b"*", b"|").replace(b"~\n", b"'")
    assert x12_820.parse(rewritten, "pipes.x12").remittances == x12_820.parse(original, "a.x12").remittances


def test_safeway_payment_leaves_the_deducted_difference_unexplained():
    parsed = x12_820.parse(sample("remittance/x12_820/820-004010-01.x12"), "820.x12")
    advice, = parsed.remittances
    assert advice.lines_total == Money.of("448862.76", "USD")
    assert advice.unexplained_difference == Money.of("-32769.61", "USD")
    assert ("DB", "P7817948-20") in advice.references
    assert "-32769.61 USD unexplained" in parsed.warnings[0]


def test_truncated_interchange_is_refused_naming_what_is_open():
    data = interchange(*SHORT_PAY)
    cut = data[: data.index(b"SE*")]
    with pytest.raises(FormatError, match=r"ends inside a transaction set \(no SE\)"):
        x12_820.parse(cut, "cut.x12")
