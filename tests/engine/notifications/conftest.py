"""Fixtures of the notification tests."""

import pytest

from engine.core.settings import get_settings


@pytest.fixture
def fresh_settings(monkeypatch):
    """Settings read afresh, without TIAOJIE_BASE_URL (the default links)."""
    monkeypatch.delenv("TIAOJIE_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
