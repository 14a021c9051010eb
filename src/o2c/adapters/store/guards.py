"""Database-side defences of the ledger invariants and of issued documents (SQLite and PostgreSQL).

The code checks every posting before it writes it; these triggers check it again where nothing can
go around them: an entry becomes 'posted' only if its functional amounts balance and its AR lines
equal its open-item movements per currency; posted entries, their lines and movements, and issued
invoices can be neither updated nor deleted.
"""

from __future__ import annotations

_AR_MISMATCH = """
SELECT currency FROM (
    SELECT currency, amount_minor AS t, functional_minor AS f FROM journal_lines
     WHERE entry_id = {new}.id AND account = '1100'
    UNION ALL
    SELECT currency, -signed_open_minor, -signed_carrying_minor FROM open_item_movements
     WHERE entry_id = {new}.id
) moves GROUP BY currency HAVING SUM(t) <> 0 OR SUM(f) <> 0
"""

_UNBALANCED = ("SELECT 1 WHERE (SELECT COALESCE(SUM(functional_minor), 0) FROM journal_lines"
               " WHERE entry_id = {new}.id) <> 0")

SQLITE = [
    f"""CREATE TRIGGER journal_entry_must_balance BEFORE UPDATE OF status ON journal_entries
    WHEN NEW.status = 'posted' BEGIN
        SELECT RAISE(ABORT, 'journal entry does not balance') WHERE EXISTS ({_UNBALANCED.format(new="NEW")});
        SELECT RAISE(ABORT, 'AR control lines differ from open item movements')
         WHERE EXISTS ({_AR_MISMATCH.format(new="NEW")});
    END""",
    """CREATE TRIGGER posted_entry_is_final BEFORE UPDATE ON journal_entries
    WHEN OLD.status = 'posted' BEGIN SELECT RAISE(ABORT, 'posted journal entries are immutable'); END""",
    """CREATE TRIGGER posted_entry_not_deleted BEFORE DELETE ON journal_entries
    WHEN OLD.status = 'posted' BEGIN SELECT RAISE(ABORT, 'posted journal entries are immutable'); END""",
    """CREATE TRIGGER journal_lines_append_only BEFORE UPDATE ON journal_lines
    BEGIN SELECT RAISE(ABORT, 'journal lines are immutable'); END""",
    """CREATE TRIGGER journal_lines_not_deleted BEFORE DELETE ON journal_lines
    WHEN (SELECT status FROM journal_entries WHERE id = OLD.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, 'journal lines are immutable'); END""",
    """CREATE TRIGGER journal_lines_only_into_drafts BEFORE INSERT ON journal_lines
    WHEN (SELECT status FROM journal_entries WHERE id = NEW.entry_id) = 'posted'
    BEGIN SELECT RAISE(ABORT, 'cannot add lines to a posted entry'); END""",
    """CREATE TRIGGER movements_append_only BEFORE UPDATE ON open_item_movements
    BEGIN SELECT RAISE(ABORT, 'open item movements are immutable'); END""",
    """CREATE TRIGGER issued_documents_immutable BEFORE UPDATE ON invoices
    BEGIN SELECT RAISE(ABORT, 'issued invoices and credit notes are immutable'); END""",
    """CREATE TRIGGER issued_documents_not_deleted BEFORE DELETE ON invoices
    BEGIN SELECT RAISE(ABORT, 'issued invoices and credit notes are immutable'); END""",
]

POSTGRESQL = [
    f"""CREATE FUNCTION o2c_check_posting() RETURNS trigger AS $$
    BEGIN
        IF OLD.status = 'posted' THEN
            RAISE EXCEPTION 'posted journal entries are immutable';
        END IF;
        IF NEW.status = 'posted' THEN
            IF EXISTS ({_UNBALANCED.format(new="NEW")}) THEN
                RAISE EXCEPTION 'journal entry % does not balance', NEW.id;
            END IF;
            IF EXISTS ({_AR_MISMATCH.format(new="NEW")}) THEN
                RAISE EXCEPTION 'journal entry %: AR control lines differ from open item movements', NEW.id;
            END IF;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER journal_entry_must_balance BEFORE UPDATE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION o2c_check_posting()""",
    """CREATE FUNCTION o2c_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME; END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION o2c_refuse_posted_line() RETURNS trigger AS $$
    BEGIN
        IF (SELECT status FROM journal_entries WHERE id = COALESCE(NEW.entry_id, OLD.entry_id)) = 'posted' THEN
            RAISE EXCEPTION 'journal lines of a posted entry are immutable';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER journal_lines_append_only BEFORE UPDATE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION o2c_refuse_change()""",
    """CREATE TRIGGER journal_lines_only_into_drafts BEFORE INSERT OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION o2c_refuse_posted_line()""",
    """CREATE TRIGGER posted_entry_not_deleted BEFORE DELETE ON journal_entries
    FOR EACH ROW WHEN (OLD.status = 'posted') EXECUTE FUNCTION o2c_refuse_change()""",
    """CREATE TRIGGER movements_append_only BEFORE UPDATE ON open_item_movements
    FOR EACH ROW EXECUTE FUNCTION o2c_refuse_change()""",
    """CREATE TRIGGER issued_documents_immutable BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION o2c_refuse_change()""",
]


def statements(dialect: str) -> list[str]:
    return SQLITE if dialect == "sqlite" else POSTGRESQL


# --- revisions: counters that tell a cache its source changed ------------------------------------
# ``revisions.payers`` moves with every write to the tables the payer directory is read from.
_PAYER_SOURCES = ("customers", "payer_aliases")
_EVENTS = ("INSERT", "UPDATE", "DELETE")


def revision_triggers(dialect: str) -> list[str]:
    bump = "UPDATE revisions SET value = value + 1 WHERE name = 'payers'"
    if dialect == "sqlite":  # row triggers only: one bump per row written
        return [f"CREATE TRIGGER {table}_{event.lower()}_moves_payers AFTER {event} ON {table} BEGIN {bump}; END"
                for table in _PAYER_SOURCES for event in _EVENTS]
    return [f"""CREATE FUNCTION o2c_move_payers_revision() RETURNS trigger AS $$
    BEGIN {bump}; RETURN NULL; END $$ LANGUAGE plpgsql""",
            *(f"""CREATE TRIGGER {table}_moves_payers AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION o2c_move_payers_revision()""" for table in _PAYER_SOURCES)]


def drop_revision_triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER {table}_{event.lower()}_moves_payers" for table in _PAYER_SOURCES for event in _EVENTS]
    return [*(f"DROP TRIGGER {table}_moves_payers ON {table}" for table in _PAYER_SOURCES),
            "DROP FUNCTION o2c_move_payers_revision()"]


# --- the audit log: append-only ------------------------------------------------------------------
# Records are only ever inserted; the head row moves with every append and is sealed instead (see
# ``audit_store``). Someone who drops these triggers still cannot re-chain without the audit key.
def audit_triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"""CREATE TRIGGER audit_log_{event.lower()}_refused BEFORE {event} ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""" for event in ("UPDATE", "DELETE")]
    return ["""CREATE FUNCTION o2c_audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP; END $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION o2c_audit_append_only()""",
            """CREATE TRIGGER audit_log_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION o2c_audit_append_only()"""]


def drop_audit_triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER audit_log_{event}_refused" for event in ("update", "delete")]
    return ["DROP TRIGGER audit_log_append_only ON audit_log", "DROP TRIGGER audit_log_not_truncated ON audit_log",
            "DROP FUNCTION o2c_audit_append_only()"]
