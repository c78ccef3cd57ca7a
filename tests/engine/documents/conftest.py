"""Fixtures of the documents tests: a private data key file (parties' full values are encrypted)."""

import pytest

from engine.core import datakeys
from engine.core.settings import get_settings


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
