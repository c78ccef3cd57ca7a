"""Fixtures of the process tests."""

import pytest

from engine.core.settings import get_settings


@pytest.fixture
def leader_rules(monkeypatch):
    """TIAOJIE_LEADER_RULES: 岗厦社区 → wang, labour disputes → zhao, 福田社区 → ghost (no such leader)."""
    monkeypatch.setenv("TIAOJIE_LEADER_RULES", '[{"community": "岗厦社区", "leader": "wang"}, '
                                                '{"dispute_type": "labour", "leader": "zhao"}, '
                                                '{"community": "福田社区", "leader": "ghost"}]')
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("TIAOJIE_LEADER_RULES")
    get_settings.cache_clear()
