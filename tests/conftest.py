"""Shared fixtures: a fresh database on SQLite and on PostgreSQL for every test.

PostgreSQL: TIAOJIE_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
names the server; each pytest worker gets its own database, migrated once with Alembic
and truncated between tests. Set TIAOJIE_TEST_SKIP_PG=1 to run on SQLite only.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from engine import Database
from engine.store.tables import metadata
from tests.helpers.pg import PG_ADMIN_URL, SKIP_PG
from tests.helpers.pg import pg_url as _pg_url


@pytest.fixture(scope="session")
def pg_database():
    """A migrated PostgreSQL database for this pytest worker."""
    # Unique per run and worker, so two suites on one server never drop each other's database.
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:10]
    name = f"tiaojie_test_{run_id}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(_pg_url(name))
    db.upgrade()
    yield db
    db.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(db: Database) -> None:
    names = ", ".join(t.name for t in reversed(metadata.sorted_tables))
    with db.engine.begin() as c:
        c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """A fresh, empty database (both backends)."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'tiaojie.sqlite'}")
        database.create_all()
        yield database
        database.dispose()
    else:
        if SKIP_PG:
            pytest.skip("TIAOJIE_TEST_SKIP_PG=1")
        database = request.getfixturevalue("pg_database")
        _truncate(database)
        yield database


@pytest.fixture
def pg_db(request):
    """PostgreSQL only (real concurrency tests)."""
    if SKIP_PG:
        pytest.skip("TIAOJIE_TEST_SKIP_PG=1")
    database = request.getfixturevalue("pg_database")
    _truncate(database)
    return database


@pytest.fixture(autouse=True)
def _fresh_rule_cache():
    """SLA rules and the holiday calendar are cached per process for a few seconds; each test starts
    without them (the calendar back to the packaged one)."""
    from engine.core import calendar as workdays
    from engine.deadlines import rules as deadlines
    from engine.deadlines.calendar import CALENDAR

    def clear():
        deadlines.RULES.clear()
        CALENDAR.clear()
        workdays.use_data(None)

    clear()
    yield
    clear()


@pytest.fixture
def fused():
    """The hot path sent the fewer-round-trips way (``engine.store.wire.FUSE``), whatever a test sets it to."""
    from engine.store import wire

    before = wire.FUSE
    wire.FUSE = True
    yield
    wire.FUSE = before
