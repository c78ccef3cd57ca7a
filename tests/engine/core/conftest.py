"""Fixtures of the core tests: a working-day calendar, fresh fallback warnings, settings from the environment."""

import pytest

from engine.core import calendar as workdays
from engine.core.calendar import WorkCalendar, default_calendar
from engine.core.settings import get_settings


@pytest.fixture
def cal() -> WorkCalendar:
    """The official working-day calendar."""
    return WorkCalendar()


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Each test sees the fallback warning afresh."""
    monkeypatch.setattr(workdays, "_warned_years", set())


@pytest.fixture
def settings_env(monkeypatch):
    """Set TIAOJIE_* variables and rebuild the cached settings and calendar."""

    def apply(**env):
        for key, value in env.items():
            monkeypatch.setenv(f"TIAOJIE_{key.upper()}", value)
        get_settings.cache_clear()
        default_calendar.cache_clear()

    yield apply
    get_settings.cache_clear()
    default_calendar.cache_clear()
