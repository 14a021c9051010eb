"""Bad order input on SQLite and PostgreSQL: one-line refusals naming the line and field, quarantined,
never a traceback; EDI resends with changed content sent to review; quarantine bounded in size and
count. Each file is made here, by the test."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from o2c.adapters.store.intake_store import QUARANTINE_PAGE, IntakeStore, TruncatedContent
from o2c.cli_commands.intake import register
from o2c.services.intake import IntakeService
from o2c.services.intake_channels import EmailOrder
from tests.unit.formats_orders.builders import edifact_file, edifact_order
from tests.unit.intake.world import seed_intake, x12_850

runner = CliRunner()
COLA_LINE = "PO1*1*20*CA*{price}**VN*COLA*EN*8712345000018"
CSV_HEADER = "po_number,customer_code,item,quantity,unit_price,requested_date\n"

BAD_FILES = {  # name: (content, the field the refusal names, words it says)
    "price-1e26.x12": (x12_850(COLA_LINE.format(price="1" + "0" * 26)), "PO104", "out of range"),
    "price-1e17.x12": (x12_850(COLA_LINE.format(price="1" + "0" * 17)), "PO104", "out of range"),
    "quantity-1e26.x12": (
        x12_850("PO1*1*" + "9" * 27 + "*CA*14.40**VN*COLA*EN*8712345000018"),
        "PO102",
        "out of range",
    ),
    "line-beyond.x12": (
        x12_850(COLA_LINE.format(price="90000000000").replace("*20*", "*100000*")),
        "PO104",
        "out of range",
    ),
    "quantity-1e20.edi": (edifact_file(edifact_order(quantity="1" + "0" * 20)), "C186.6060", "out of range"),
    "price-1e26.csv": (
        f"{CSV_HEADER}PO-9,C1,COLA,5,{'1' + '0' * 26},\n".encode(),
        "unit_price",
        "out of range",
    ),
    "date-feb-30.csv": (
        f"{CSV_HEADER}PO-9,C1,COLA,5,14.40,2026-02-30\n".encode(),
        "requested_date",
        "2026-02-30",
    ),
    "po-delimiters.csv": (f"{CSV_HEADER}PO*9~1,C1,COLA,5,14.40,\n".encode(), "po_number", "X12 delimiter"),
    "po-delimiters.edi": (edifact_file(edifact_order(po="PO~9*1")), "1004", "X12 delimiter"),
}


@pytest.fixture
def intake(app):  # type: ignore[no-untyped-def]
    seed_intake(app)
    return IntakeService.for_app(app)


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _quarantine(app) -> list[dict]:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        store = IntakeStore(uow.conn)
        return [
            store.quarantine.entry(n)
            for n in range(1, store.quarantine.count() + 10)
            if store.quarantine.entry(n)
        ]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_order_file_is_refused_in_one_line_naming_its_field_and_quarantined_by_the_cli(
    app, intake, cli, tmp_path, name
):
    content, field, words = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(cli, ["import", str(path), "--db", app.settings.database_url, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    [error] = report["errors"]
    assert report["status"] == "quarantined" and "\n" not in error
    assert f"{name}," in error and field in error and words in error
    [entry] = _quarantine(app)
    assert (entry["filename"], entry["reason"]) == (name, error)
    with app.uow() as uow:
        assert uow.orders.all() and all(o.id.startswith("SO-H") for o in uow.orders.all())  # nothing booked


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_order_file_is_refused_by_the_dry_run_with_exit_2_naming_its_field(cli, tmp_path, name):
    content, field, words = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(cli, ["import", str(path), "--dry-run", "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert any(field in (e["field"] or "") and words in e["message"] for e in errors), errors


def test_an_e_mail_order_beyond_any_amount_is_quarantined_and_the_rest_of_the_batch_booked(app, intake):
    huge = EmailOrder(
        "orders@hoekstra.example", "PO PO-77: please send 900000000000000 cases of Cola 24x33cl can", "m-huge"
    )
    fine = EmailOrder(
        "orders@hoekstra.example", "PO PO-78: please send 20 cases of Cola 24x33cl can", "m-fine"
    )
    first, second = intake.receive_emails([huge, fine])
    assert (first.status, first.reasons) == ("quarantined", ("amount_out_of_range",))
    assert second.status in ("captured", "pending")
    [entry] = _quarantine(app)
    assert entry["source"] == "email" and "out of range" in entry["reason"]


def test_an_x12_interchange_resent_with_the_same_control_number_but_other_content_goes_to_review(
    app, intake, cli, tmp_path
):
    intake.import_file(x12_850(), "850.x12")
    changed = tmp_path / "850-changed.x12"
    changed.write_bytes(x12_850(COLA_LINE.format(price="14.40").replace("*20*", "*25*")))
    result = runner.invoke(cli, ["import", str(changed), "--db", app.settings.database_url, "--json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "quarantined"
    assert "interchange 000000001 from HOEKSTRA: same control number, changed content" in report["errors"][0]
    [entry] = _quarantine(app)
    assert "same control number, changed content" in entry["reason"]


def test_an_x12_interchange_resent_unchanged_stays_a_harmless_duplicate(app, intake, cli, tmp_path):
    intake.import_file(x12_850(), "850.x12")
    resent = tmp_path / "850-again.x12"
    resent.write_bytes(x12_850().replace(b"~\n", b"~\r\n"))  # other bytes, same interchange
    result = runner.invoke(cli, ["import", str(resent), "--db", app.settings.database_url, "--json"])
    assert result.exit_code == 0, result.output
    assert [o["status"] for o in json.loads(result.stdout)["orders"]] == ["duplicate"]
    assert _quarantine(app) == []


def test_an_edifact_interchange_resent_with_changed_content_goes_to_review_and_unchanged_is_a_duplicate(
    app, intake
):
    seed_po = "PO-EDI-1"
    first = intake.import_file(edifact_file(edifact_order(po=seed_po)), "orders.edi")
    assert first.status == "imported"
    again = intake.import_file(edifact_file(edifact_order(po=seed_po)) + b"\n", "orders-again.edi")
    assert again.status == "imported" and {o.status for o in again.orders} == {"duplicate"}
    changed = intake.import_file(edifact_file(edifact_order(po=seed_po, quantity="9")), "orders-changed.edi")
    assert changed.status == "quarantined"
    assert changed.errors == (
        "EDIFACT interchange 42 from 5412345000013: same control number, changed content "
        "(first received 2026-09-01 08:00 in orders.edi)",
    )


def test_a_large_refused_file_keeps_only_its_first_and_last_page_and_one_entry_however_often_it_is_sent(
    app, intake
):
    size = 3 * 1024 * 1024 + 7
    data = (b"not an order, just a large attachment " * (size // 38 + 1))[: size - 3] + b"END"
    for attempt in range(3):
        report = intake.import_file(data, f"attachment-{attempt}.txt")
        assert report.status == "quarantined"
    [entry] = _quarantine(app)
    assert (entry["attempts"], entry["size_bytes"], entry["truncated"]) == (3, size, True)
    assert entry["filename"] == "attachment-2.txt"
    with app.uow() as uow:
        body = IntakeStore(uow.conn).quarantine.body(entry["id"])
    assert body is not None and body.head == data[:QUARANTINE_PAGE] and body.tail == data[-QUARANTINE_PAGE:]
    with pytest.raises(TruncatedContent, match="send the original file again"):
        body.original()
    retried = intake.retry_quarantined(entry["id"])
    assert retried.status == "needs_original" and "send the original file again" in retried.errors[0]


def test_a_small_quarantined_file_is_kept_whole_and_can_be_retried_once_master_data_exists(app, tmp_path):
    csv = f"{CSV_HEADER}PO-31,C1,COLA,5,14.40,\n".encode()
    service = IntakeService.for_app(app)
    first = service.import_file(csv, "portal.csv")  # no customer C1 yet: booked as a rejected order
    assert first.status == "imported"
    bad = f"{CSV_HEADER}PO-32,C1,COLA,5,14.40,2026-02-30\n".encode()
    assert service.import_file(bad, "bad.csv").status == "quarantined"
    [entry] = _quarantine(app)
    with app.uow() as uow:
        body = IntakeStore(uow.conn).quarantine.body(entry["id"])
    assert body is not None and not body.truncated and body.original() == bad
    again = service.retry_quarantined(entry["id"])
    assert again.status == "quarantined" and "2026-02-30" in again.errors[0]
    assert _quarantine(app)[0]["attempts"] == 2


def test_the_cli_retry_of_a_truncated_entry_says_the_original_is_needed(app, intake, cli):
    intake.import_file(b"x" * (3 * QUARANTINE_PAGE), "big.bin")
    [entry] = _quarantine(app)
    result = runner.invoke(cli, ["quarantine", "retry", str(entry["id"]), "--db", app.settings.database_url])
    assert result.exit_code == 2
    assert "original" in result.output


def test_an_order_entered_with_an_x12_delimiter_in_its_po_is_refused_with_the_reason(app, intake):
    from o2c.domain import commands as c
    from o2c.domain.errors import DomainError
    from tests.unit.intake.world import TODAY

    order = c.CaptureOrder("C1", "C1-S1", "api", TODAY, (c.CaptureOrderLine("COLA", 5),), "PO>7")
    with pytest.raises(DomainError, match="X12 delimiter"):
        app.execute(order, "clerk", "entered by hand")
