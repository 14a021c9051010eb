"""The audit log against a person with database access but not the audit key.

The attacker here drops the append-only triggers, deletes and edits records, re-chains them with
plain SHA-256 (all anyone without the key can compute) and moves the head row; ``verify`` and the
signed checkpoints must notice every time.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from o2c.adapters.audit_seal import Checkpoint, append_checkpoint, checkpoints_file
from o2c.adapters.store import guards
from o2c.adapters.store import tables as t
from o2c.adapters.store.audit_store import GENESIS, AuditSealError, legacy_hash, record_body
from o2c.adapters.store.engine import make_engine
from o2c.adapters.store.migrate import migrate
from o2c.bootstrap import bootstrap
from o2c.cli import app as cli
from o2c.config import Settings, normalise_database_url

runner = CliRunner()


def _write(app, n: int, per_transaction: int = 3) -> None:
    for start in range(0, n, per_transaction):
        with app.uow() as uow:
            for i in range(start, min(n, start + per_transaction)):
                uow.audit.append(app.clock.now(), "clerk", "note", f"order:SO-{i:06d}", "checked", {"i": i})
            uow.commit()


def _attacker(database_url: str):
    """A plain connection to the database, as a DBA has: no o2c code, the triggers dropped."""
    engine = create_engine(normalise_database_url(database_url))
    with engine.begin() as conn:
        for statement in guards.drop_audit_triggers(conn.dialect.name):
            conn.execute(text(statement))
    return engine


def _rechain_with_sha256(conn, first: int) -> None:
    """Recompute every hash from record ``first`` on and move the head, as someone without the key can."""
    prev = conn.execute(select(t.audit_log.c.hash).where(t.audit_log.c.seq == first - 1)).scalar() or GENESIS
    rows = conn.execute(
        select(t.audit_log).where(t.audit_log.c.seq >= first).order_by(t.audit_log.c.seq)
    ).all()
    for r in rows:
        digest = legacy_hash(
            prev, record_body(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload)
        )
        conn.execute(
            update(t.audit_log).where(t.audit_log.c.seq == r.seq).values(prev_hash=prev, hash=digest)
        )
        prev = digest
    conn.execute(update(t.audit_head).values(seq=rows[-1].seq, hash=prev))


def _verify(database_url: str, checkpoints: Path | None = None) -> tuple[int, str]:
    args = ["audit", "verify", "--db", database_url] + (
        ["--checkpoint", str(checkpoints)] if checkpoints else []
    )
    result = runner.invoke(cli, args)
    return result.exit_code, result.output.replace("\n", " ")


def _checkpoint(database_url: str, out: Path) -> None:
    result = runner.invoke(cli, ["audit", "checkpoint", "--db", database_url, "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_the_database_refuses_to_update_or_delete_audit_records(app):
    _write(app, 3)
    for statement in (
        "UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_log",
    ):
        with app.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
    if app.engine.dialect.name == "postgresql":
        with app.engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("TRUNCATE audit_log"))
    with app.uow() as uow:
        assert len(uow.audit.records()) == 3 and uow.audit.verify() == []


def test_verify_fails_after_the_last_records_are_deleted_and_the_head_rewound(app, database_url, tmp_path):
    _write(app, 12)
    checkpoints = tmp_path / "checkpoints"
    _checkpoint(database_url, checkpoints)
    assert _verify(database_url, checkpoints)[0] == 0
    with _attacker(database_url).begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq > 9"))
        nine = conn.execute(select(t.audit_log.c.hash).where(t.audit_log.c.seq == 9)).scalar_one()
        conn.execute(update(t.audit_head).values(seq=9, hash=nine))
    code, output = _verify(database_url, checkpoints)
    assert code == 1
    assert "seal does not match" in output
    assert "truncated: the log has 9 records, the checkpoint saw 12" in output


def test_a_head_copied_back_from_before_hides_a_truncation_from_the_chain_but_not_from_the_checkpoint(
    app, database_url, tmp_path
):
    _write(app, 6)
    with app.engine.connect() as conn:
        saved_head = conn.execute(select(t.audit_head)).one()._asdict()  # the attacker's earlier copy
    _write(app, 6)
    checkpoints = tmp_path / "checkpoints"
    _checkpoint(database_url, checkpoints)
    with _attacker(database_url).begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq > 6"))
        conn.execute(update(t.audit_head).values(**saved_head))
    with app.uow() as uow:
        assert uow.audit.verify() == []  # a consistent earlier state: only something outside can tell
    code, output = _verify(database_url, checkpoints)
    assert code == 1 and "truncated: the log has 6 records, the checkpoint saw 12" in output


def test_verify_fails_after_a_record_is_edited_and_the_rest_rechained_with_sha256(
    app, database_url, tmp_path
):
    _write(app, 12)
    checkpoints = tmp_path / "checkpoints"
    _checkpoint(database_url, checkpoints)
    with _attacker(database_url).begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 5).values(reason="nothing to see"))
        _rechain_with_sha256(conn, 5)
    code, output = _verify(database_url, checkpoints)
    assert code == 1
    assert "audit record 5 was altered" in output and "audit record 12 was altered" in output
    assert "audit record 4 was altered" not in output
    assert "rewritten: record 12 no longer hashes to the checkpoint's head" in output


def test_passing_every_record_off_as_one_written_before_the_keyed_chain_is_detected(app, database_url):
    _write(app, 8)
    with _attacker(database_url).begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 2).values(actor="mallory"))
        _rechain_with_sha256(conn, 1)
        head = conn.execute(select(t.audit_head.c.hash)).scalar_one()
        conn.execute(update(t.audit_head).values(keyed_from=9, legacy_hash=head))
    with app.uow() as uow:
        problems = uow.audit.verify()
    assert any("seal does not match" in p for p in problems)
    code, _ = _verify(database_url)
    assert code == 1


def test_a_writer_with_another_key_appends_nothing(app, database_url, tmp_path):
    _write(app, 2)
    other = bootstrap(
        Settings(database_url=database_url, audit_key="another key of enough length"), clock=app.clock
    )
    try:
        with other.uow() as uow, pytest.raises(AuditSealError, match="not sealed with this audit key"):
            uow.audit.append(app.clock.now(), "clerk", "note", "order:SO-1", "x", {})
            uow.commit()  # the head is checked when the records are chained, before the commit
        with other.uow() as uow:
            assert any("seal does not match" in p for p in uow.audit.verify())
    finally:
        other.close()
    with app.uow() as uow:
        assert uow.audit.verify() == []


def test_a_checkpoint_signed_with_another_key_is_reported(app, database_url, tmp_path):
    _write(app, 4)
    checkpoints = tmp_path / "checkpoints"
    append_checkpoint(
        checkpoints, Checkpoint("x", 4, "f" * 64, app.clock.now()), b"a key the attacker made up"
    )
    code, output = _verify(database_url, checkpoints)
    assert code == 1 and "line 1: checkpoint not signed with the audit key" in output


def test_checkpoint_refuses_to_vouch_for_a_log_that_does_not_verify(app, database_url, tmp_path):
    _write(app, 4)
    with _attacker(database_url).begin() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 2).values(actor="mallory"))
    out = tmp_path / "checkpoints"
    result = runner.invoke(cli, ["audit", "checkpoint", "--db", database_url, "--out", str(out)])
    assert result.exit_code == 1 and "No checkpoint written" in result.output and not out.exists()


def test_records_written_before_the_keyed_chain_still_verify_and_cannot_be_rewritten(database_url, clock):
    engine = make_engine(database_url)
    migrate(engine, "0018")
    prev = GENESIS
    with engine.begin() as conn:  # records as o2c wrote them before 0021: plain SHA-256
        for seq in range(1, 6):
            at = clock.now()
            digest = legacy_hash(
                prev, record_body(seq, at, "credit", "confirm_order", f"order:{seq}", "ok", {})
            )
            conn.execute(
                insert(t.audit_log).values(
                    seq=seq,
                    at=at,
                    actor="credit",
                    action="confirm_order",
                    subject=f"order:{seq}",
                    reason="ok",
                    payload={},
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        conn.execute(insert(t.audit_head).values(id=1, seq=5, hash=prev))
    engine.dispose()
    app = bootstrap(Settings(database_url=database_url), clock=clock)  # migrates on, sealing with the key
    try:
        _write(app, 3)
        with app.uow() as uow:
            assert uow.audit.verify() == []
            assert (uow.audit.head().keyed_from, uow.audit.head().seq) == (6, 8)
        with _attacker(database_url).begin() as conn:
            conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 3).values(reason="nothing to see"))
            _rechain_with_sha256(conn, 3)
        with app.uow() as uow:
            problems = uow.audit.verify()
        assert "audit record 5 was altered (confirm_order on order:5)" in problems  # the switch point's hash
        assert any(p.startswith("none of the 3 keyed records matches this audit key") for p in problems)
    finally:
        app.close()


def test_without_a_configured_key_one_is_generated_beside_the_database_for_its_owner_only(
    tmp_path, clock, monkeypatch, caplog
):
    for name in ("O2C_AUDIT_KEY", "O2C_AUDIT_KEY_FILE", "O2C_AUDIT_CHECKPOINTS"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'books.db'}"
    app = bootstrap(Settings(database_url=url), clock=clock)
    try:
        key = tmp_path / "o2c-audit.key"
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
        assert "generated" in caplog.text and str(key) in caplog.text
        assert app.audit_key == key.read_text().strip().encode()
        assert checkpoints_file(app.settings) == tmp_path / "books.db.audit-checkpoints"
        _write(app, 2)
        _checkpoint(url, checkpoints_file(app.settings))
        assert _verify(url) == (0, _verify(url)[1])
        assert "agrees with the checkpoint" in _verify(url)[1]
    finally:
        app.close()
    again = bootstrap(Settings(database_url=url), clock=clock)  # the same key is read back
    again.close()
    assert again.audit_key == app.audit_key
