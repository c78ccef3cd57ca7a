"""SLA rules whose limit is written the office's way ("20 个工作日", "30 日", "48 小时", "P30D"): stored as
amount + clock, shown back the office's way, and the deadlines they open are due to the minute."""

from datetime import UTC, datetime

import pytest
import time_machine

from engine.core.calendar import SHANGHAI
from engine.core.errors import InvalidData
from engine.deadlines import limit_text, set_rule
from engine.deadlines import rules as deadlines
from engine.store import deadlines as store
from tests.helpers.deadlines import add_rule, sla_rows
from tests.helpers.engine import complete, deploy, start

T0 = datetime(2026, 9, 30, 1, 0, tzinfo=UTC)  # Wednesday 09:00 Shanghai, the eve of 国庆 2026


def local(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "changes, duration, clock, text",
    [
        ({"duration": "20 个工作日"}, 20, "workdays", "20 个工作日"),
        ({"duration": "5个工作日"}, 5, "workdays", "5 个工作日"),
        ({"duration": "十五日"}, 15, "natural", "15 日"),
        ({"duration": "30 天"}, 30, "natural", "30 日"),
        ({"duration": "48 小时"}, 48, "hours", "48 小时"),
        ({"duration": "P30D"}, 30, "natural", "30 日"),
        ({"duration": "PT72H"}, 72, "hours", "72 小时"),
        ({"duration": "7", "clock": "workdays"}, 7, "workdays", "7 个工作日"),
        ({"duration": "12"}, 12, "natural", "12 日"),  # a bare number keeps the rule's clock
        ({"duration": 3, "clock": "hours"}, 3, "hours", "3 小时"),
        ({"duration": "3 工作日", "clock": "workdays"}, 3, "workdays", "3 个工作日"),
    ],
)
def test_set_rule_reads_the_office_way(db, changes, duration, clock, text):
    add_rule(db)
    with db.begin() as conn:
        rule = set_rule(conn, "examine_10d", changes, "super1")
    assert (rule.duration, rule.clock, limit_text(rule)) == (duration, clock, text)


@pytest.mark.parametrize(
    "value, kind",
    [
        ("20 工作", "duration_unknown"), ("P3X", "duration_unknown"), ("3 个月", "duration_rule_clock"),
        ("R3/P1D", "duration_rule_clock"), ("0 日", "duration_zero"), ("400 日", "duration_too_long"),
        ("0", "duration_zero"), ("999", "duration_too_long"),
    ],
)
def test_set_rule_refuses_what_it_cannot_read(db, value, kind):
    add_rule(db)
    with db.begin() as conn, pytest.raises(InvalidData) as err:
        set_rule(conn, "examine_10d", {"duration": value}, "super1")
    assert set(err.value.errors) == {"duration"} and err.value.kinds == {"duration": kind}
    with db.begin() as conn:
        (rule,) = [r for r in store.all_rules(conn) if r.key == "examine_10d"]
    assert (rule.duration, rule.clock) == (10, "natural")


def test_a_clock_that_contradicts_the_text_is_refused(db):
    add_rule(db)
    with db.begin() as conn, pytest.raises(InvalidData, match="does not match clock natural"):
        set_rule(conn, "examine_10d", {"duration": "20 个工作日", "clock": "natural"}, "super1")


def test_a_rule_set_the_office_way_opens_deadlines_to_the_minute(db):
    deploy(db, "review_v1.bpmn")
    add_rule(db)
    with db.begin() as conn:
        set_rule(conn, "examine_10d", {"duration": "5 个工作日"}, "super1")
    deadlines.RULES.clear()
    with time_machine.travel(T0, tick=False):
        case = start(db, "review", {"community": "福田社区"})
        complete(db, case.open_tasks[0].id, {"amount": 500, "channel": "window"})
    (sla,) = sla_rows(db, case.id)
    assert (sla.clock, local(sla.due_at)) == ("workdays", "2026-10-13 23:59")  # over 国庆, 10-10 调休 worked
