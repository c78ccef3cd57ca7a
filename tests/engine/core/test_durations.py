"""engine.core.durations and engine.core.timer_text: durations the office's way and as ISO 8601, due times
to the minute, the timer rewrite for SpiffWorkflow."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from engine.core.calendar import SHANGHAI
from engine.core.durations import (
    Duration,
    DurationError,
    IsoTimer,
    chinese_number,
    due,
    limit_text,
    parse,
    parse_office,
    reason_zh,
    to_limit,
)
from engine.core.timer_text import TimerRewrite, rewrite_timer


def local(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "text, amount, clock",
    [
        ("20 个工作日", 20, "workdays"), ("20个工作日", 20, "workdays"), ("20 工作日", 20, "workdays"),
        ("五个工作日", 5, "workdays"), ("30 日", 30, "natural"), ("30日", 30, "natural"), ("30 天", 30, "natural"),
        ("30 个自然日", 30, "natural"), ("30自然日", 30, "natural"), ("十五日", 15, "natural"),
        ("三十日", 30, "natural"), ("十日", 10, "natural"), ("二十五天", 25, "natural"), ("15 日内", 15, "natural"),
        ("１５日", 15, "natural"), ("2 周", 14, "natural"), ("48 小时", 48, "hours"), ("48小时", 48, "hours"),
        ("七十二个小时", 72, "hours"), ("3 个月", 3, "months"), ("两个月", 2, "months"), ("1 年", 12, "months"),
        ("一年", 12, "months"), ("  60 日 ", 60, "natural"),
    ],
)
def test_office_forms(text, amount, clock):
    assert parse_office(text) == Duration(amount, clock)
    assert parse(text) == Duration(amount, clock)


@pytest.mark.parametrize(
    "text, kind, normal",
    [
        ("P30D", "duration", "P30D"), ("p30d", "duration", "P30D"), ("PT48H", "duration", "PT48H"),
        ("P1Y", "duration", "P1Y"), ("P1Y2M10DT2H30M", "duration", "P1Y2M10DT2H30M"), ("P2W", "duration", "P2W"),
        ("PT0.5S", "duration", "PT0.5S"), ("R3/P1D", "cycle", "R3/P1D"), ("R/P7D", "cycle", "R/P7D"),
        ("R3/PT10M", "cycle", "R3/PT10M"),
        ("R2/2027-01-10T09:00:00+08:00/P1D", "cycle", "R2/2027-01-10T09:00:00+08:00/P1D"),
        ("2027-01-10T09:00:00+08:00", "date", "2027-01-10T09:00:00+08:00"),
        ("2027-01-10T09:00", "date", "2027-01-10T09:00:00+08:00"),  # no zone written: Shanghai
        ("2027-01-10", "date", "2027-01-10T00:00:00+08:00"),
    ],
)
def test_iso_forms(text, kind, normal):
    assert parse(text) == IsoTimer(kind, normal)


@pytest.mark.parametrize(
    "text, zh",
    [
        ("30 工作", "无法识别的期限：30 工作"), ("P3X", "无法识别的期限：P3X"), ("2 月", "无法识别的期限：2 月"),
        ("", "无法识别的期限："), ("三五日", "无法识别的期限：三五日"), ("P", "无法识别的期限：P"), ("PT", "无法识别的期限：PT"),
        ("R3/", "无法识别的期限：R3/"), ("0 日", "期限必须大于零：0 日"), ("100000 日", "期限过长：100000 日"),
        ("2027-13-01", "无法识别的期限：2027-13-01"), ("soon", "无法识别的期限：soon"),
    ],
)
def test_anything_else_is_refused_clearly(text, zh):
    with pytest.raises(DurationError) as err:
        parse(text)
    assert str(err.value).startswith(zh)
    assert reason_zh(err.value.en) == err.value.zh


def test_chinese_numbers():
    assert [chinese_number(t) for t in ["一", "十", "十五", "二十", "三十", "一百二十", "两"]] == [1, 10, 15, 20, 30, 120, 2]
    for bad in ["", "十十", "五五", "x"]:
        with pytest.raises(ValueError):
            chinese_number(bad)


def test_limit_text_is_the_office_way():
    assert [limit_text(20, "workdays"), limit_text(30, "natural"), limit_text(48, "hours"), limit_text(3, "months")] == [
        "20 个工作日", "30 日", "48 小时", "3 个月"]
    assert parse_office(Duration(20, "workdays").text) == Duration(20, "workdays")


@pytest.mark.parametrize(
    "value, clock, expected",
    [
        ("20 个工作日", None, Duration(20, "workdays")), ("30 日", None, Duration(30, "natural")),
        ("P30D", None, Duration(30, "natural")), ("PT48H", None, Duration(48, "hours")),
        ("P2W", None, Duration(14, "natural")), (15, "natural", Duration(15, "natural")),
        ("5", "workdays", Duration(5, "workdays")), ("5 工作日", "workdays", Duration(5, "workdays")),
    ],
)
def test_rule_limits(value, clock, expected):
    assert to_limit(value, clock) == expected


@pytest.mark.parametrize(
    "value, clock, en",
    [
        ("3 个月", None, "a rule's limit counts in days, working days or hours: 3 个月"),
        ("P1Y", None, "a rule's limit counts in days, working days or hours: P1Y"),
        ("R3/P1D", None, "a rule's limit counts in days, working days or hours: R3/P1D"),
        ("20 个工作日", "natural", "duration 20 个工作日 does not match clock natural"),
        (20, None, "duration 20 needs a clock (natural, workdays or hours)"),
        ("20 工作", None, "unrecognised duration: 20 工作 (write e.g. 20 个工作日, 30 日, 48 小时, or ISO 8601 such as "
         "P30D, R3/P1D)"),
    ],
)
def test_rule_limits_refused(value, clock, en):
    with pytest.raises(DurationError) as err:
        to_limit(value, clock)
    assert err.value.en == en


@pytest.mark.parametrize(
    "duration, start, expected",
    [
        ("20 个工作日", datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "2026-03-30 23:59"),
        ("5 个工作日", date(2026, 9, 30), "2026-10-13 23:59"),  # 国庆 2026 and the 调休 Saturday 10-10
        ("五个工作日", "2026-09-30", "2026-10-13 23:59"),
        ("15 日", "2026-11-01", "2026-11-16 23:59"),
        ("15 日", "2026-09-20", "2026-10-08 23:59"),  # ends 10-05 in 国庆: next working day
        ("十五日", "2026-09-25", "2026-10-10 23:59"),  # 10-10 is a 调休 working Saturday
        ("30 日", "2026-11-14", "2026-12-14 23:59"),  # 12-14 Monday
        ("30 日", "2026-11-15", "2026-12-15 23:59"),
        ("30 日", "2026-10-30", "2026-11-30 23:59"),  # 11-29 Sunday -> Monday
        ("48 小时", datetime(2026, 9, 30, 2, 30, tzinfo=UTC), "2026-10-02 10:30"),  # hours stay hours
        ("48 小时", "2026-11-01", "2026-11-03 00:00"),  # from the start of the case date
        ("3 个月", "2026-07-04", "2026-10-08 23:59"),  # 10-04 in 国庆: next working day
        ("1 个月", "2026-01-31", "2026-02-28 23:59"),  # no 02-31: the month's last day (a 调休 working Saturday)
        ("1 个月", "2026-03-31", "2026-04-30 23:59"),
        ("1 年", "2026-03-16", "2027-03-16 23:59"),
        ("P30D", datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "2026-04-01 10:00"),  # ISO: exact, no calendar
        ("PT1H", datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "2026-03-02 11:00"),
    ],
)
def test_due_to_the_minute(duration, start, expected):
    assert local(due(duration, start)) == expected


def test_due_from_now():
    with time_machine.travel(datetime(2026, 9, 30, 1, 0, tzinfo=UTC), tick=False):
        assert local(due("5 个工作日")) == "2026-10-13 23:59"


@pytest.mark.parametrize(
    "part, text, rewritten",
    [
        ("timeDuration", "PT1H", TimerRewrite("timeDuration", '"PT1H"')),
        ("timeDuration", " P30D\n", TimerRewrite("timeDuration", '"P30D"')),
        ("timeCycle", "R3/PT10M", TimerRewrite("timeCycle", '"R3/PT10M"')),
        ("timeDate", "2027-01-10T09:00", TimerRewrite("timeDate", '"2027-01-10T09:00:00+08:00"')),
        ("timeDuration", "20 个工作日", TimerRewrite("timeDate", 'due("20 个工作日")')),
        ("timeDate", "30日", TimerRewrite("timeDate", 'due("30 日")')),
        ("timeDuration", '"20 个工作日"', TimerRewrite("timeDate", 'due("20 个工作日")')),
        ("timeDate", "received_on + 15 日", TimerRewrite("timeDate", 'due("15 日", received_on)')),
        ("timeDate", "自 received_on 起十五日", TimerRewrite("timeDate", 'due("15 日", received_on)')),
        ("timeDate", "自受理之日起 60 日", TimerRewrite("timeDate", 'due("60 日", accepted_on)')),
        ("timeDate", "协议生效日期起 30 日", TimerRewrite("timeDate", 'due("30 日", agreement_effective_on)')),
        ("timeDuration", '"P30D"', None), ("timeDate", "add_days(15)", None), ("timeDate", "add_workdays(5)", None),
        ("timeDate", 'due("15 日", received_on)', None),
        ("timeDate", "petition_due_final if petition_extended else petition_due", None),
    ],
)
def test_timer_rewrite(part, text, rewritten):
    assert rewrite_timer(part, text) == rewritten


@pytest.mark.parametrize(
    "part, text, en",
    [
        ("timeDuration", "30 工作", "unrecognised duration: 30 工作"),
        ("timeDuration", "P3X", "unrecognised duration: P3X"),
        ("timeDuration", '"P3X"', "unrecognised duration: P3X"),
        ("timeDuration", "R3/P1D", "needs a duration, but R3/P1D is a cycle"),
        ("timeDate", "P30D", "needs a date, but P30D is a duration"),
        ("timeCycle", "30 日", "a cycle timer is written as an ISO 8601 cycle such as R3/P1D: 30 日"),
        ("timeDate", 'due("P3X", received_on)', "unrecognised duration: P3X"),
        ("timeDate", "某日起 3 日", "unrecognised start date: 某日"),
    ],
)
def test_timer_rewrite_refuses(part, text, en):
    with pytest.raises(DurationError) as err:
        rewrite_timer(part, text)
    assert err.value.en.startswith(en)
