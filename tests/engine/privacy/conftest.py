"""Fixtures of the personal-data tests: the shipped processes, a private data key file, case helpers."""

import pytest

from engine import processes
from engine.core import datakeys
from engine.core.settings import get_settings
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
