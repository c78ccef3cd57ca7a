"""The store survives its connections being cut (a PostgreSQL restart or failover)."""

from sqlalchemy import text

from engine.store import db as db_module
from tests.helpers.engine import deploy, start


def _cut_connections(database) -> int:
    with database.engine.connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar_one()
    from sqlalchemy import create_engine

    admin = create_engine(database.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        n = c.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": name}).scalar_one()
    admin.dispose()
    return n


def test_idle_pooled_connections_cut_by_a_restart_are_replaced(pg_db, monkeypatch):
    deploy(pg_db, "review_v1.bpmn")
    start(pg_db)
    assert _cut_connections(pg_db) >= 1
    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.0)  # every pooled connection counts as idle
    try:
        case = start(pg_db)  # would raise OperationalError on the dead pooled connection without the ping
    finally:
        pg_db.engine.dispose()  # other cut connections may still sit in the pool: the next test gets fresh ones
    assert case.case_number.endswith("0002号")
