from alembic.script import ScriptDirectory

from o2c.adapters.store.migrate import alembic_config


def test_the_migration_history_is_one_line_with_a_single_head():
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1
    assert [r.revision for r in scripts.walk_revisions()][-1] == "0001"
