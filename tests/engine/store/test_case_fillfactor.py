"""The cases table keeps room in its pages (fillfactor, migration 0020) so a step's update stays a HOT update."""

from sqlalchemy import text


def _fillfactor(db) -> str | None:
    with db.engine.connect() as conn:
        options = conn.execute(text("SELECT reloptions FROM pg_class WHERE relname = 'cases'")).scalar() or []
    return next((o.split("=", 1)[1] for o in options if o.startswith("fillfactor=")), None)


def test_migrated_cases_table_has_fillfactor_80(pg_db):
    assert _fillfactor(pg_db) == "80"


def test_declared_cases_table_has_fillfactor_80(pg_db):
    """``create_all`` (tests, tables.py) builds the same storage as the migration."""
    from engine.store.tables import metadata

    with pg_db.engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA fillfactor_check"))
        try:
            conn.execute(text("SET LOCAL search_path TO fillfactor_check"))
            metadata.create_all(conn, tables=[metadata.tables["process_definitions"], metadata.tables["cases"]])
            options = conn.execute(text(
                "SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'fillfactor_check' AND c.relname = 'cases'")).scalar()
        finally:
            conn.execute(text("DROP SCHEMA fillfactor_check CASCADE"))
    assert options == ["fillfactor=80"]
