"""Timers as other tools and the office write them: unquoted ISO 8601 (Camunda Modeler) and "20 个工作日" /
"received_on + 15 日" deploy, and fire when the app fires timers (the timer row, engine.cases.fire_timer),
to the minute."""

from datetime import UTC, datetime, timedelta

import time_machine
from lxml import etree
from sqlalchemy import select

from engine import processes
from engine.cases import fire_timer, get_case
from engine.core.calendar import SHANGHAI
from engine.store import deadlines as store
from engine.store.tables import definitions
from tests.helpers.engine import bundle, complete, open_task, start
from tests.helpers.paths import FIXTURES

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 Shanghai


def local(dt: datetime) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def deploy(db, name: str):
    with db.begin() as conn:
        return processes.deploy(conn, bundle(name), actor="test")


def timer_row(db, case_id: int):
    with db.begin() as conn:
        rows = [r for r in store.for_case(conn, case_id) if r.kind == "timer" and r.status == "pending"]
    return rows[0] if rows else None


def fire_at(db, case_id: int, at: datetime) -> bool:
    """Fire the case's timer row the way the deadline worker does, at ``at``."""
    row = timer_row(db, case_id)
    with time_machine.travel(at, tick=False), db.begin() as conn:
        return fire_timer(conn, row.id, at)


def open_elements(db, case_id: int) -> list[str]:
    with db.begin() as conn:
        return sorted(t.element_id for t in get_case(conn, case_id).open_tasks)


def test_a_camunda_model_with_unquoted_iso_timers_deploys_and_runs_to_the_minute(db):
    (d,) = deploy(db, "imported_timers.bpmn")
    with db.begin() as conn:  # the stored source is exactly what was uploaded: timers still unquoted
        source = conn.execute(select(definitions.c.sources).where(definitions.c.id == d.id)).scalar_one()
    assert "<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">PT1H</bpmn:timeDuration>" in str(source)
    with time_machine.travel(T0, tick=False):
        case = start(db, "imported_timers")
    assert local(case.next_timer_at) == "2026-03-02 11:00"  # PT1H
    assert not fire_at(db, case.id, T0 + timedelta(minutes=59))  # not yet due
    assert open_elements(db, case.id) == []
    assert fire_at(db, case.id, T0 + timedelta(hours=1, seconds=1))
    assert open_elements(db, case.id) == ["Activity_handle"]
    # R3/PT10M from 11:00 and P30D from 11:00: the cycle first
    assert local(timer_row(db, case.id).due_at) == "2026-03-02 11:10"
    for n, minute in enumerate(["11:10", "11:20", "11:30"], start=1):
        due = timer_row(db, case.id).due_at
        assert local(due) == f"2026-03-02 {minute}"
        assert fire_at(db, case.id, due + timedelta(seconds=1))
        assert open_elements(db, case.id).count("Activity_count") == n
    # three cycles done: the next timer is the 30 days (P30D is exact, not counted by the calendar)
    due = timer_row(db, case.id).due_at
    assert local(due) == "2026-04-01 11:00"
    assert fire_at(db, case.id, due + timedelta(seconds=1))
    assert open_elements(db, case.id) == ["Activity_count"] * 3 + ["Activity_overdue"]


def test_the_stored_tree_is_not_rewritten():
    from engine.spiff.compiler import timers_for_spiff

    root = etree.fromstring((FIXTURES / "imported_timers.bpmn").read_bytes())
    before = etree.tostring(root)
    copy = timers_for_spiff(root, "imported_timers.bpmn")
    assert etree.tostring(root) == before
    texts = [el.text for el in copy.iter("{*}timeDuration", "{*}timeCycle")]
    assert texts == ['"PT1H"', '"P30D"', '"R3/PT10M"']


def test_office_way_timers_are_rewritten_to_due_calls():
    from engine.spiff.compiler import timers_for_spiff

    root = etree.fromstring((FIXTURES / "office_timers.bpmn").read_bytes())
    copy = timers_for_spiff(root, "office_timers.bpmn")
    got = [(etree.QName(el).localname, el.text) for el in copy.iter("{*}timeDate", "{*}timeDuration")]
    assert got == [("timeDate", 'due("20 个工作日")'), ("timeDate", 'due("5 个工作日")'),
                   ("timeDate", 'due("15 日", received_on)')]
    assert [etree.QName(el).localname for el in root.iter("{*}timeDate", "{*}timeDuration")] == [
        "timeDuration", "timeDuration", "timeDate"]


def test_twenty_working_days_from_now(db):
    deploy(db, "office_timers.bpmn")
    with time_machine.travel(T0, tick=False):  # Monday 2026-03-02 not counted: the 20th working day is 03-30
        case = start(db, "office_workdays")
    assert local(case.next_timer_at) == "2026-03-30 23:59"
    assert not fire_at(db, case.id, datetime(2026, 3, 30, 15, 58, tzinfo=UTC))
    assert fire_at(db, case.id, datetime(2026, 3, 30, 16, 0, tzinfo=UTC))
    assert open_elements(db, case.id) == ["w_after"]


def test_five_working_days_over_national_day(db):
    deploy(db, "office_timers.bpmn")
    with time_machine.travel(datetime(2026, 9, 30, 1, 0, tzinfo=UTC), tick=False):
        case = start(db, "office_five")
    # 10-01..10-07 国庆 off; 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    assert local(case.next_timer_at) == "2026-10-13 23:59"


def test_fifteen_days_from_the_received_date(db):
    deploy(db, "office_timers.bpmn")
    with time_machine.travel(datetime(2026, 11, 5, 2, 0, tzinfo=UTC), tick=False):  # registered days later
        case = start(db, "office_from_date")
        complete(db, open_task(db, case.id, "d_register").id,
                 {"amount": 0, "channel": "mailbox", "received_on": "2026-11-01"})
    with db.begin() as conn:
        case = get_case(conn, case.id)
    assert local(case.next_timer_at) == "2026-11-16 23:59"  # counted from 11-01, not from registration
    assert fire_at(db, case.id, datetime(2026, 11, 16, 16, 0, tzinfo=UTC))
    assert open_elements(db, case.id) == ["d_late"]


def test_fifteen_days_ending_in_the_national_day_holiday_roll_to_the_next_working_day(db):
    deploy(db, "office_timers.bpmn")
    with time_machine.travel(datetime(2026, 9, 21, 2, 0, tzinfo=UTC), tick=False):
        case = start(db, "office_from_date")
        case = complete(db, open_task(db, case.id, "d_register").id,
                        {"amount": 0, "channel": "window", "received_on": "2026-09-20"})
    assert local(case.next_timer_at) == "2026-10-08 23:59"  # 09-20 + 15 = 10-05, 国庆: first working day 10-08

