"""Deadline arithmetic: natural days, working days, configuration, fallback years.

Every expected date is written out by hand from the official notices
(国务院办公厅 holiday arrangements for 2025 and 2026).
"""

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.core.calendar import WorkCalendar, default_calendar

pytestmark = pytest.mark.usefixtures("fresh_warnings")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def eod(y: int, m: int, d: int) -> datetime:
    """Expected deadline: 23:59:59.999999 Shanghai on y-m-d, written in UTC."""
    return datetime(y, m, d, 15, 59, 59, 999999, tzinfo=UTC)


# --- the official calendar, as the package reports it ---------------------------------


def test_spring_festival_2025_data(cal):
    # 2025-01-28 .. 2025-02-04
    off = [date(2025, 1, day) for day in (28, 29, 30, 31)] + [date(2025, 2, day) for day in (1, 2, 3, 4)]
    assert [cal.is_workday(d) for d in off] == [False] * 8
    assert cal.is_workday(date(2025, 1, 26))  # Sunday, 调休 make-up workday
    assert cal.is_workday(date(2025, 2, 8))  # Saturday, 调休 make-up workday
    assert not cal.is_workday(date(2025, 2, 9))  # ordinary Sunday
    assert cal.is_workday(date(2025, 1, 27)) and cal.is_workday(date(2025, 2, 5))


def test_national_day_2025_data(cal):
    assert not any(cal.is_workday(date(2025, 10, day)) for day in range(1, 9))
    assert cal.is_workday(date(2025, 9, 28))  # Sunday make-up
    assert cal.is_workday(date(2025, 10, 11))  # Saturday make-up
    assert cal.is_workday(date(2025, 10, 9))


def test_package_covers_2026(cal, caplog):
    caplog.set_level(logging.WARNING, logger="tiaojie.workdays")
    assert not cal.is_workday(date(2026, 2, 17))  # Spring Festival
    assert cal.is_workday(date(2026, 2, 14))  # Saturday make-up
    assert cal.is_workday(date(2026, 2, 28))  # Saturday make-up
    assert caplog.records == []


# --- working days ----------------------------------------------------------------------


def test_add_workdays_across_spring_festival_2025(cal):
    # Fri 01-24: Sat 25 rest, Sun 26 (1), Mon 27 (2), 28..02-04 off, Wed 02-05 (3)
    assert cal.add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 5)
    # Mon 01-27: 02-05 (1), 06 (2), 07 (3), Sat 08 make-up (4), Sun 09 rest, Mon 10 (5)
    assert cal.add_workdays(date(2025, 1, 27), 5) == eod(2025, 2, 10)
    assert cal.add_workdays(date(2025, 1, 27), 4) == eod(2025, 2, 8)


def test_add_workdays_across_national_day_2025(cal):
    # 治安调解 3 工作日 from Fri 09-26: Sun 28 (1), Mon 29 (2), Tue 30 (3)
    assert cal.add_workdays(date(2025, 9, 26), 3) == eod(2025, 9, 30)
    # 行政调解 5 工作日 from Tue 09-30: 10-09, 10, Sat 11, Mon 13, Tue 14
    assert cal.add_workdays(date(2025, 9, 30), 5) == eod(2025, 10, 14)


def test_add_workdays_2026(cal):
    # Fri 2026-02-13: Sat 14 make-up (1), 15..23 off, 24 (2), 25, 26, 27 (5), Sat 28 make-up (6)
    assert cal.add_workdays(date(2026, 2, 13), 5) == eod(2026, 2, 27)
    assert cal.add_workdays(date(2026, 2, 13), 6) == eod(2026, 2, 28)
    assert cal.add_workdays(date(2026, 2, 13), 7) == eod(2026, 3, 2)
    # National Day 2026-10-01..07, Saturday 10-10 is a make-up workday
    assert cal.add_workdays(date(2026, 9, 30), 3) == eod(2026, 10, 10)


def test_add_workdays_start_on_rest_day(cal):
    # received on Sat 2025-03-01: Mon 03 (1) .. Fri 07 (5)
    assert cal.add_workdays(date(2025, 3, 1), 5) == eod(2025, 3, 7)
    # received on a holiday: counting starts after the break
    assert cal.add_workdays(date(2025, 10, 3), 1) == eod(2025, 10, 9)


def test_add_workdays_zero_is_end_of_start_day(cal):
    assert cal.add_workdays(date(2025, 3, 1), 0) == eod(2025, 3, 1)


def test_workdays_between(cal):
    # 26, 27, 02-05, 06, 07, 08, 10
    assert cal.workdays_between(date(2025, 1, 24), date(2025, 2, 10)) == 7
    assert cal.workdays_between(date(2025, 2, 10), date(2025, 1, 24)) == -7
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert cal.workdays_between(date(2025, 9, 30), date(2025, 9, 30)) == 0
    # end may be a deadline datetime
    assert cal.workdays_between(date(2025, 1, 27), eod(2025, 2, 10)) == 5


# --- natural days ----------------------------------------------------------------------


def test_add_days_month_end(cal):
    # Jan 31 + 30 -> Sun 2025-03-02, rolled to Mon 03-03
    assert cal.add_days(date(2025, 1, 31), 30, roll_to_workday=False) == eod(2025, 3, 2)
    assert cal.add_days(date(2025, 1, 31), 30) == eod(2025, 3, 3)
    assert cal.add_days(date(2025, 2, 1), 28, roll_to_workday=False) == eod(2025, 3, 1)


def test_add_days_leap_february_2028(cal):
    assert cal.add_days(date(2028, 2, 1), 28, roll_to_workday=False) == eod(2028, 2, 29)
    assert cal.add_days(date(2028, 1, 31), 30, roll_to_workday=False) == eod(2028, 3, 1)
    assert cal.add_days(date(2028, 2, 28), 1, roll_to_workday=False) == eod(2028, 2, 29)


def test_add_days_year_end(cal):
    assert cal.add_days(date(2024, 12, 31), 15) == eod(2025, 1, 15)  # a Wednesday
    # 2025-12-17 + 15 = 2026-01-01 (holiday); 02 holiday, Sat 03 rest, Sun 04 make-up workday
    assert cal.add_days(date(2025, 12, 17), 15, roll_to_workday=False) == eod(2026, 1, 1)
    assert cal.add_days(date(2025, 12, 17), 15) == eod(2026, 1, 4)


def test_add_days_rolls_past_holiday(cal):
    # 15 days from 2025-09-16 ends on National Day 10-01; next working day is 10-09
    assert cal.add_days(date(2025, 9, 16), 15) == eod(2025, 10, 9)
    assert cal.add_days(date(2025, 9, 16), 15, roll_to_workday=False) == eod(2025, 10, 1)
    # lands on the Saturday make-up workday 2025-02-08: no roll
    assert cal.add_days(date(2025, 1, 24), 15) == eod(2025, 2, 8)


# --- time handling ---------------------------------------------------------------------


def test_output_is_utc_end_of_shanghai_day(cal):
    result = cal.add_days(date(2025, 3, 3), 1)
    assert result.utcoffset().total_seconds() == 0
    assert result == datetime(2025, 3, 4, 15, 59, 59, 999999, tzinfo=UTC)
    assert result.astimezone(SHANGHAI) == datetime(2025, 3, 4, 23, 59, 59, 999999, tzinfo=SHANGHAI)


def test_day_boundary_is_shanghai_midnight(cal):
    # 15:00 UTC on 01-26 is 23:00 Shanghai, still Sunday 01-26 -> next workday Mon 01-27
    assert cal.add_workdays(datetime(2025, 1, 26, 15, 0, tzinfo=UTC), 1) == eod(2025, 1, 27)
    # 16:00 UTC is 00:00 Shanghai on Mon 01-27 -> next workday is 02-05
    assert cal.add_workdays(datetime(2025, 1, 26, 16, 0, tzinfo=UTC), 1) == eod(2025, 2, 5)


def test_naive_datetime_is_utc(cal):
    assert cal.add_workdays(datetime(2025, 1, 26, 15, 0), 1) == eod(2025, 1, 27)
    assert cal.add_workdays(datetime(2025, 1, 26, 16, 0), 1) == eod(2025, 2, 5)


def test_other_zone_converted(cal):
    # 20:00 New York on 01-26 = 09:00 Shanghai on 01-27
    start = datetime(2025, 1, 26, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert cal.add_workdays(start, 1) == eod(2025, 2, 5)


def test_is_workday_accepts_datetime(cal):
    assert cal.is_workday(datetime(2025, 1, 26, 15, 0, tzinfo=UTC))  # Sun 01-26, make-up
    assert not cal.is_workday(datetime(2025, 1, 27, 16, 0, tzinfo=UTC))  # 01-28 Shanghai


@time_machine.travel(datetime(2025, 1, 24, 2, 0, tzinfo=UTC), tick=False)
def test_from_now_friday_before_spring_festival(cal):
    # now = Fri 2025-01-24 10:00 Shanghai
    assert cal.add_workdays(None, 3) == eod(2025, 2, 5)
    assert cal.add_days(None, 15) == eod(2025, 2, 8)
    assert cal.workdays_between(None, date(2025, 2, 10)) == 7


def test_from_now_uses_shanghai_day():
    # 17:00 UTC Friday is 01:00 Saturday in Shanghai; next workday is the Sunday make-up
    with time_machine.travel(datetime(2025, 1, 24, 17, 0, tzinfo=UTC), tick=False):
        assert WorkCalendar().add_workdays(None, 1) == eod(2025, 1, 26)
    with time_machine.travel(datetime(2025, 9, 16, 4, 0, tzinfo=UTC), tick=False):
        assert WorkCalendar().add_days(None, 15) == eod(2025, 10, 9)


# --- validation ------------------------------------------------------------------------


def test_negative_n_rejected(cal):
    with pytest.raises(ValueError, match="zero or positive, got -1"):
        cal.add_workdays(date(2025, 1, 24), -1)
    with pytest.raises(ValueError, match="zero or positive, got -3"):
        cal.add_days(date(2025, 1, 24), -3)


def test_bad_types_rejected(cal):
    with pytest.raises(TypeError):
        cal.add_days("2025-01-24", 3)
    with pytest.raises(TypeError):
        cal.add_days(date(2025, 1, 24), 1.5)


# --- configuration ---------------------------------------------------------------------


def test_extra_holiday_changes_result():
    cal = WorkCalendar(extra_holidays={date(2025, 2, 5)})
    assert cal.add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 6)
    # natural deadline on an extra holiday rolls too
    cal = WorkCalendar(extra_holidays=[date(2025, 1, 15)])
    assert cal.add_days(date(2024, 12, 31), 15) == eod(2025, 1, 16)


def test_extra_workday_changes_result():
    # Saturday 2025-02-01 (inside the break) declared a working day
    cal = WorkCalendar(extra_workdays=[date(2025, 2, 1)])
    assert cal.add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 1)
    assert cal.add_days(date(2025, 1, 17), 15) == eod(2025, 2, 1)


def test_conflicting_extra_dates_rejected():
    with pytest.raises(ValueError, match="2025-02-05"):
        WorkCalendar(extra_holidays=[date(2025, 2, 5)], extra_workdays=[date(2025, 2, 5)])


def test_default_calendar_reads_settings(settings_env):
    settings_env(extra_holidays="2025-02-05, 2025-02-06", extra_workdays="")
    cal = default_calendar()
    assert default_calendar() is cal
    assert cal.add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 7)

    settings_env(extra_holidays="", extra_workdays="2025-02-01,")
    assert default_calendar().add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 1)


def test_default_calendar_without_extras(settings_env):
    settings_env(extra_holidays="", extra_workdays="")
    assert default_calendar().add_workdays(date(2025, 1, 24), 3) == eod(2025, 2, 5)


def test_default_calendar_bad_setting(settings_env):
    settings_env(extra_holidays="2025-02-05,2025-13-01")
    with pytest.raises(ValueError, match="extra_holidays: '2025-13-01'"):
        default_calendar()


# --- fallback years --------------------------------------------------------------------


def test_fallback_year_is_monday_to_friday_with_one_warning(cal, caplog):
    caplog.set_level(logging.WARNING, logger="tiaojie.workdays")
    assert cal.is_workday(date(2035, 10, 1))  # a Monday; no holiday data for 2035
    assert not cal.is_workday(date(2035, 10, 6))  # Saturday
    assert cal.add_workdays(date(2035, 10, 5), 1) == eod(2035, 10, 8)  # Fri -> Mon
    assert cal.add_workdays(date(2035, 10, 5), 5) == eod(2035, 10, 12)
    assert cal.add_days(date(2035, 10, 1), 5) == eod(2035, 10, 8)  # Sat 10-06 rolls to Mon
    assert cal.workdays_between(date(2035, 1, 1), date(2035, 1, 31)) == 22

    records = [r for r in caplog.records if r.name == "tiaojie.workdays"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "2035" in records[0].getMessage()


def test_fallback_warns_once_per_year_across_calendars(caplog):
    caplog.set_level(logging.WARNING, logger="tiaojie.workdays")
    # Fri 2035-12-28: Mon 31 (1), Tue 2036-01-01 (2, no data so counted), Wed 01-02 (3)
    assert WorkCalendar().add_workdays(date(2035, 12, 28), 3) == eod(2036, 1, 2)
    assert WorkCalendar().add_workdays(date(2035, 12, 28), 3) == eod(2036, 1, 2)
    messages = [r.getMessage() for r in caplog.records if r.name == "tiaojie.workdays"]
    assert len(messages) == 2
    assert "for 2035;" in messages[0] and "for 2036;" in messages[1]


def test_extra_dates_apply_in_fallback_year(caplog):
    caplog.set_level(logging.WARNING, logger="tiaojie.workdays")
    cal = WorkCalendar(extra_holidays=[date(2035, 10, 8)], extra_workdays=[date(2035, 10, 6)])
    assert cal.add_workdays(date(2035, 10, 5), 2) == eod(2035, 10, 9)
