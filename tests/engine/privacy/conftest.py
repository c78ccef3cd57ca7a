"""Fixtures of the personal-data tests: the shipped processes, a private data key file, case helpers."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from engine import Database, processes
from engine.core import datakeys
from engine.core.settings import get_settings
from tests.helpers.pg import PG_ADMIN_URL, SKIP_PG
from tests.helpers.pg import pg_url as _pg_url
from tests.helpers.process_driver import bundle


@pytest.fixture
def process_bundle(db):
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    """Data keys in a file of this test (none configured in the environment)."""
    monkeypatch.delenv("TIAOJIE_DATA_KEYS", raising=False)
    monkeypatch.setenv("TIAOJIE_DATA_KEY_FILE", str(tmp_path / "keys" / "data.keys"))
    get_settings.cache_clear()
    datakeys.reset()
    yield datakeys.key_file()
    get_settings.cache_clear()
    datakeys.reset()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request, tmp_path):
    """A database with no schema yet (the migrations build it)."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'old.sqlite'}")
        yield db
        db.dispose()
        return
    if SKIP_PG:
        pytest.skip("TIAOJIE_TEST_SKIP_PG=1")
    name = f"tiaojie_mig_{uuid.uuid4().hex[:10]}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(_pg_url(name))
    yield db
    db.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def periods(monkeypatch):
    monkeypatch.setenv("TIAOJIE_RETENTION_YEARS", "petition=5, mediation=4, default=10")
    get_settings.cache_clear()
