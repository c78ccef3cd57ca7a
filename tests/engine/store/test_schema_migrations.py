"""Alembic migrations build exactly the schema the code declares, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from engine import Database
from engine.store.migrate import current
from engine.store.tables import metadata


def _diff(db: Database):
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_sqlite_upgrade_matches_tables(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'm.sqlite'}")
    db.upgrade()
    db.upgrade()  # idempotent
    assert current(db) is not None
    assert _diff(db) == []
    assert {"cases", "tasks", "case_events", "process_definitions", "incidents"} <= set(inspect(db.engine).get_table_names())


def test_postgres_upgrade_matches_tables(pg_db):
    assert current(pg_db) is not None
    assert _diff(pg_db) == []
