"""camt.053/054: balances checked, batches split only when they add up, hostile XML refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bank_samples import sample

from o2c.adapters.formats.bank import FormatError, camt, parse_bank_file
from o2c.adapters.formats.bank.xml_safety import load_xml
from o2c.domain.money import Money

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def statement_xml(entries: str, opening: str = "100.00", closing: str = "150.00", namespace: str = NS) -> bytes:
    def balance(code: str, amount: str) -> str:
        sign = "DBIT" if amount.startswith("-") else "CRDT"
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{amount.lstrip('-')}"
                f"</Amt><CdtDbtInd>{sign}</CdtDbtInd><Dt><Dt>2024-03-01</Dt></Dt></Bal>")

    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-01T18:00:00</CreDtTm></GrpHdr>"
        "<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{balance('OPBD', opening)}{balance('CLBD', closing)}{entries}</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def entry_xml(amount: str, indicator: str = "CRDT", reference: str = "R1", details: str = "") -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Sts>BOOK</Sts>'
        f"<BookgDt><Dt>2024-03-01</Dt></BookgDt><ValDt><Dt>2024-03-01</Dt></ValDt>"
        f"<AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls>{details}</NtryDtls></Ntry>"
    )


def tx_xml(amount: str, e2e: str, name: str, invoice: str) -> str:
    return (
        f'<TxDtls><Refs><EndToEndId>{e2e}</EndToEndId></Refs><Amt Ccy="EUR">{amount}</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>"
        f"<RmtInf><Strd><RfrdDocInf><Nb>{invoice}</Nb></RfrdDocInf><RfrdDocAmt>"
        f'<DuePyblAmt Ccy="EUR">{amount}</DuePyblAmt><RmtdAmt Ccy="EUR">{amount}</RmtdAmt>'
        "</RfrdDocAmt></Strd></RmtInf></TxDtls>"
    )


def test_wrong_camt_sample_is_refused_because_it_holds_no_statement():
    with pytest.raises(FormatError) as refused:
        parse_bank_file(sample("bank/camt/camt053.v2.wrong.xml"), "camt053.v2.wrong.xml")
    assert str(refused.value).startswith("camt053.v2.wrong.xml: line 3, BkToCstmrStmt/Stmt:")
    assert "group header but no Stmt" in str(refused.value)


def test_camt_statement_closing_in_another_currency_is_refused_with_its_balances():
    with pytest.raises(FormatError) as refused:
        camt.parse(sample("bank/camt/camt053.v2.minimal.xml"), "camt053.v2.minimal.xml")
    message = str(refused.value)
    assert "line 60, Bal/Amt" in message
    assert "opening 18.15 EUR + 1 booked entries 8.85 EUR = 27.00 EUR" in message
    assert "closing balance is -27.00 SEK" in message


def test_unbalanced_statement_is_refused_naming_the_difference():
    data = statement_xml(entry_xml("40.00"), closing="150.00")
    with pytest.raises(FormatError, match=r"= 140.00 EUR, but the closing balance is 150.00 EUR \(differs by 10.00 EUR\)"):
        camt.parse(data, "short.xml")


def test_lenient_parse_keeps_an_unbalanced_statement_and_says_why():
    parsed = camt.parse(sample("bank/camt/camt053.v4.xml"), "camt053.v4.xml", strict=False)
    assert not parsed.statements[0].balanced
    assert "does not balance" in parsed.warnings[0]


def test_balanced_statement_reads_signed_entries_and_pending_ones_do_not_count():
    pending = entry_xml("999.00", reference="P1").replace("<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>")
    data = statement_xml(entry_xml("70.00") + entry_xml("20.00", "DBIT", "R2") + pending)
    statement = camt.parse(data, "ok.xml").statements[0]
    assert [e.amount for e in statement.entries] == [Money.of("70.00", "EUR"), Money.of("-20.00", "EUR"),
                                                     Money.of("999.00", "EUR")]
    assert [e.booked for e in statement.entries] == [True, True, False]
    assert statement.balanced


def test_batched_entry_is_split_per_transaction_when_the_amounts_add_up():
    details = tx_xml("30.00", "E2E-1", "Bar Centraal", "INV-1") + tx_xml("20.00", "E2E-2", "Cafe Noord", "INV-2")
    data = statement_xml(entry_xml("50.00", details=details))
    entries = camt.parse(data, "batch.xml").statements[0].entries
    assert [(e.amount.amount, e.counterparty_name, e.remittance_lines[0].document) for e in entries] == [
        (Decimal("30.00"), "Bar Centraal", "INV-1"), (Decimal("20.00"), "Cafe Noord", "INV-2")]
    assert len({e.entry_key for e in entries}) == 2
    assert [e.entry_key for e in camt.parse(data, "again.xml").statements[0].entries] == [
        e.entry_key for e in entries]


def test_batched_entry_stays_whole_when_the_transactions_do_not_add_up():
    details = tx_xml("30.00", "E2E-1", "Bar Centraal", "INV-1") + tx_xml("10.00", "E2E-2", "Cafe Noord", "INV-2")
    parsed = camt.parse(statement_xml(entry_xml("50.00", details=details)), "batch.xml")
    entry, = parsed.statements[0].entries
    assert entry.amount == Money.of("50.00", "EUR")
    assert [line.document for line in entry.remittance_lines] == ["INV-1", "INV-2"]
    assert "do not add up" in parsed.warnings[0]


def test_structured_remittance_keeps_invoice_amount_discount_and_paid():
    strd = ("<RmtInf><Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CINV</Cd></CdOrPrtry></Tp><Nb>INV-9</Nb>"
            '</RfrdDocInf><RfrdDocAmt><DuePyblAmt Ccy="EUR">100.00</DuePyblAmt><DscntApldAmt Ccy="EUR">2.00'
            '</DscntApldAmt><RmtdAmt Ccy="EUR">50.00</RmtdAmt></RfrdDocAmt></Strd></RmtInf>')
    details = f"<TxDtls>{strd}</TxDtls>"
    line, = camt.parse(statement_xml(entry_xml("50.00", details=details)), "s.xml").statements[0].entries[0].remittance_lines
    assert (line.document, line.document_kind) == ("INV-9", "CINV")
    assert line.short_paid == Money.of("50.00", "EUR")
    assert line.unexplained_difference == Money.of("48.00", "EUR")


def test_fx_entry_carries_the_instructed_amount_and_rate():
    fx = ('<TxDtls><AmtDtls><InstdAmt><Amt Ccy="USD">55.00</Amt><CcyXchg><SrcCcy>USD</SrcCcy>'
          "<TrgtCcy>EUR</TrgtCcy><XchgRate>0.9090909</XchgRate></CcyXchg></InstdAmt></AmtDtls></TxDtls>")
    entry = camt.parse(statement_xml(entry_xml("50.00", details=fx)), "fx.xml").statements[0].entries[0]
    assert entry.original_amount == Money.of("55.00", "USD")
    assert entry.exchange_rate == Decimal("0.9090909")


@pytest.mark.parametrize("version", ["02", "03", "04", "05", "06", "07", "08"])
def test_every_namespace_version_reads_the_same(version):
    data = statement_xml(entry_xml("50.00"), namespace=f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}")
    statement = camt.parse(data, "v.xml").statements[0]
    assert (statement.account, len(statement.entries), statement.balanced) == ("NL91ABNA0417164300", 1, True)


def test_same_entry_in_two_camt_versions_gets_the_same_key():
    v4 = camt.parse(sample("bank/camt/camt053.v4.xml"), "camt053.v4.xml", strict=False)
    v8 = camt.parse(sample("bank/camt/camt053.v8.xml"), "camt053.v8.xml", strict=False)
    assert v4.statements[0].entries[0].entry_key == v8.statements[0].entries[0].entry_key


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr>
<MsgId>&lol3;</MsgId></GrpHdr></BkToCstmrStmt></Document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr>
<MsgId>&secret;</MsgId></GrpHdr></BkToCstmrStmt></Document>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_hostile_xml_is_refused_before_it_is_expanded(hostile):
    with pytest.raises(FormatError, match="line 2, XML: a DOCTYPE or ENTITY declaration is refused"):
        parse_bank_file(hostile, "hostile.xml")


def test_doctype_hidden_in_utf16_is_refused_too():
    with pytest.raises(FormatError, match="DOCTYPE"):
        load_xml(EXTERNAL_ENTITY.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
                 .encode("utf-16"), "hostile16.xml")


def test_oversized_xml_is_refused_by_its_size():
    with pytest.raises(FormatError, match="more than the 100 bytes allowed"):
        load_xml(statement_xml(""), "big.xml", max_bytes=100)


def test_truncated_camt_file_is_refused_naming_the_line():
    data = sample("bank/camt/camt053.v2.multi.statement.xml")
    cut = data[: data.index(b"<Ntry>", data.index(b"254EUR"))]
    with pytest.raises(FormatError) as refused:
        camt.parse(cut, "cut.xml")
    assert refused.value.field == "XML" and refused.value.line is not None and refused.value.line > 100
    assert "not well-formed XML" in str(refused.value)
