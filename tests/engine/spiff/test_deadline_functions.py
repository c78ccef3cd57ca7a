"""add_days_from / years_after: the sandbox functions models use to count from a date the law names."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from engine.sandbox import SandboxRuntimeError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def test_add_days_from_counts_from_the_day_after_and_rolls_past_rest_days(env):
    # 30 days from Thursday 6 March 2025 is Saturday 5 April (清明) → Monday 7 April
    assert local(env.evaluate('add_days_from("2025-03-06", 30)', {})) == "2025-04-07 23:59"
    # 15 days from Monday 3 March 2025 is Tuesday 18 March, a working day
    assert local(env.evaluate("add_days_from(applied_on, 15)", {"applied_on": "2025-03-03"})) == "2025-03-18 23:59"
    # 0 days: the end of that day (an agreed term's last day)
    assert local(env.evaluate('add_days_from("2025-04-18", 0)', {})) == "2025-04-18 23:59"


def test_add_days_from_backwards_is_never_rolled(env):
    # 30 days before Monday 7 April 2025 is Saturday 8 March: a warning stays on that day
    assert local(env.evaluate('add_days_from("2025-04-07", -30)', {})) == "2025-03-08 23:59"


def test_years_after_is_the_corresponding_day_rolled_to_a_working_day(env):
    assert env.evaluate('years_after("2025-01-15", 1)', {}) == "2026-01-15"  # Thursday
    assert env.evaluate('years_after("2024-04-05", 1)', {}) == "2025-04-07"  # 5 April 2025: 清明 → Monday
    assert env.evaluate('years_after("2024-02-29", 1)', {}) == "2025-02-28"  # no 29 February: the month's end


def test_a_bad_date_is_refused(env):
    with pytest.raises(SandboxRuntimeError, match="month must be in 1..12"):
        env.evaluate('add_days_from("2025-13-01", 1)', {})
