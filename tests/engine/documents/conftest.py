"""Fixtures of the documents tests: a private data key file (parties' full values are encrypted), the shipped
processes, settings read afresh."""

import pytest

from engine import processes
from engine.core import datakeys
from engine.core.settings import get_settings
from tests.helpers.process_driver import bundle


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    """Data keys in a file of this test (none configured in the environment)."""
    monkeypatch.delenv("TIAOJIE_DATA_KEYS", raising=False)
    monkeypatch.setenv("TIAOJIE_DATA_KEY_FILE", str(tmp_path / "keys" / "data.keys"))
    get_settings.cache_clear()
    datakeys.reset()
    yield
    get_settings.cache_clear()
    datakeys.reset()


@pytest.fixture
def process_bundle(db):
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")


@pytest.fixture
def made(db):
    """(case, its agreement made at the agreement task) of a people's-mediation case with two parties."""
    from engine import documents
    from tests.helpers.documents import MEDIATOR, at_agreement
    from tests.helpers.process_driver import agreement

    case, task = at_agreement(db)
    with db.begin() as conn:
        doc = documents.generate(conn, MEDIATOR, case.id, "agreement", task.id, agreement())
    return case, doc
