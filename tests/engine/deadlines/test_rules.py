"""Deadlines as rows: SLA rules, the BPMN timer mirror, closing, pause/resume, extensions, claims."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from engine import processes
from engine.cases import pause as clocks
from engine.cases import service
from engine.core.errors import Conflict, InvalidData
from engine.deadlines import rules as deadlines
from engine.deadlines import seed as sla_seed
from engine.store import deadlines as store
from engine.store.tables import deadline_extensions, sla_rules
from tests.helpers.engine import complete, deploy, open_task, start
from tests.helpers.process_driver import bundle, intake

REGISTER = {"amount": 500, "channel": "window"}
SHANGHAI_EOD = "T15:59:59.999999+00:00"  # 23:59:59.999999 in Asia/Shanghai


def add_rule(db, key="examine_10d", element="examine", duration=10, clock="natural", **over):
    values = {"key": key, "name": "审查（10日）", "kind": "sla", "process_key": "review", "element_id": element,
              "dispute_type": None, "duration": duration, "clock": clock, "warn_fraction": None,
              "warn_before_hours": None, "escalate_after_hours": 24, "source": "test", "active": True,
              "updated_by": "test", "updated_at": datetime.now(UTC), **over}
    with db.begin() as conn:
        store.insert_rule(conn, values)
    deadlines.RULES.clear()


def rows(db, case_id):
    with db.begin() as conn:
        return store.for_case(conn, case_id)


def test_rule_opens_a_deadline_for_the_task_and_completion_meets_it(db):
    deploy(db, "review_v1.bpmn")
    add_rule(db)
    t0 = datetime(2026, 1, 26, 2, 0, tzinfo=UTC)  # Monday 10:00 Shanghai
    with time_machine.travel(t0, tick=False):
        case = start(db)
        complete(db, case.open_tasks[0].id, REGISTER)
        examine = open_task(db, case.id, "examine")
    sla = [r for r in rows(db, case.id) if r.kind == "sla"]
    assert len(sla) == 1 and sla[0].task_id == examine.id and sla[0].status == "pending"
    assert sla[0].due_at.isoformat() == "2026-02-05" + SHANGHAI_EOD  # 10 natural days, first day not counted
    assert sla[0].warn_at == t0 + (sla[0].due_at - t0) * 0.8
    # the rule's due time is earlier than the model's 30-day timer, so it is the task's due time
    assert examine.due_at == sla[0].due_at
    with time_machine.travel(t0 + timedelta(days=2), tick=False):
        complete(db, examine.id, {})
    (closed,) = [r for r in rows(db, case.id) if r.kind == "sla"]
    assert closed.status == "met" and closed.closed_at is not None


def test_working_day_deadline_across_national_day(db):
    with db.begin() as conn:
        sla_seed.seed(conn)
    with time_machine.travel(datetime(2025, 9, 26, 2, 0, tzinfo=UTC), tick=False):  # Friday before 国庆
        with db.begin() as conn:
            processes.deploy(conn, bundle())
        case = start(db, "dispute_case", {})
        complete(db, case.open_tasks[0].id, intake(received_on="2025-09-26"))
    review = [r for r in rows(db, case.id) if r.rule_key == "screening_accept_5wd"]
    # 9-28 (Sun, 调休 workday), 9-29, 9-30, then 10-1..10-8 off, 10-9, 10-10: the 5th working day
    assert [r.due_at.isoformat() for r in review] == ["2025-10-10" + SHANGHAI_EOD]
    timer = [r for r in rows(db, case.id) if r.kind == "timer"]
    assert len(timer) == 1 and timer[0].due_at == review[0].due_at  # the BPMN timer says the same


def test_timer_row_mirrors_the_next_bpmn_timer(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    assert [r.kind for r in rows(db, case.id)] == []  # no timer waiting yet
    case = complete(db, case.open_tasks[0].id, REGISTER)
    (timer,) = rows(db, case.id)
    assert (timer.kind, timer.status, timer.due_at) == ("timer", "pending", case.next_timer_at)
    case = complete(db, open_task(db, case.id, "examine").id, {})
    (timer,) = rows(db, case.id)
    assert timer.status == "cancelled" and case.status == "completed"


def test_pause_stops_the_clocks_and_resume_gives_the_time_back(db):
    deploy(db, "review_v1.bpmn")
    add_rule(db)
    t0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False) as clock:
        case = start(db)
        case = complete(db, case.open_tasks[0].id, REGISTER)
        due_before = {r.kind: r.due_at for r in rows(db, case.id)}
        with db.begin() as conn:
            assert clocks.pause_case(conn, case.id, "mediator1", "等待被申请人到场") == 2
        with db.begin() as conn, pytest.raises(Conflict):
            clocks.pause_case(conn, case.id, "mediator1", "again")
        clock.shift(timedelta(days=40))  # past the 30-day BPMN timer and the 10-day SLA
        with db.begin() as conn:
            case = service.fire_due_timers(conn, case.id)
        assert [t.element_id for t in case.open_tasks] == ["examine"]  # nothing fired while paused
        assert {r.status for r in rows(db, case.id)} == {"paused"}
        with db.begin() as conn:
            case = clocks.resume_case(conn, case.id, "mediator1")
        after = {r.kind: r for r in rows(db, case.id)}
        assert after["sla"].due_at == due_before["sla"] + timedelta(days=40)
        assert after["sla"].paused_seconds == 40 * 86400 and after["sla"].status == "pending"
        assert after["timer"].due_at == due_before["timer"] + timedelta(days=40) == case.next_timer_at
        assert open_task(db, case.id, "examine").due_at == after["sla"].due_at  # the task's due time moved too
        clock.shift(timedelta(days=25))  # 25 of the 30 days used: still running
        with db.begin() as conn:
            assert [t.element_id for t in service.fire_due_timers(conn, case.id).open_tasks] == ["examine"]
        clock.shift(timedelta(days=6))
        with db.begin() as conn:
            assert [t.element_id for t in service.fire_due_timers(conn, case.id).open_tasks] == ["overdue"]
    with db.begin() as conn:
        kinds = [e.kind for e in service.case_events(conn, case.id)]
    assert kinds.index("case_paused") < kinds.index("case_resumed") < kinds.index("timer_fired")


def test_completing_a_task_of_a_paused_case_resumes_it(db):
    deploy(db, "review_v1.bpmn")
    t0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False) as clock:
        case = start(db)
        case = complete(db, case.open_tasks[0].id, REGISTER)
        due = case.next_timer_at
        with db.begin() as conn:
            clocks.pause_case(conn, case.id, "mediator1", "等待鉴定结论")
        clock.shift(timedelta(days=3))
        with db.begin() as conn:
            task = service.list_tasks(conn, case_id=case.id)[0]
        with db.begin() as conn:
            events = service.case_events(conn, case.id)
        assert events[-1].kind == "case_paused"
        case = complete(db, task.id, {})
    with db.begin() as conn:
        kinds = [e.kind for e in service.case_events(conn, case.id)]
    assert "case_resumed" in kinds and case.status == "completed" and due is not None


def test_extension_is_recorded_with_approver_and_reason(db):
    deploy(db, "review_v1.bpmn")
    add_rule(db)
    case = start(db)
    complete(db, case.open_tasks[0].id, REGISTER)
    (sla,) = [r for r in rows(db, case.id) if r.kind == "sla"]
    for amount, clock, reason, err in [(0, "natural", "x", InvalidData), (5, "weeks", "x", InvalidData),
                                       (5, "natural", " ", InvalidData)]:
        with db.begin() as conn, pytest.raises(err):
            clocks.extend_deadline(conn, sla.id, amount, clock, reason, "leader1")
    with db.begin() as conn:
        out = clocks.extend_deadline(conn, sla.id, 30, "natural", "案情复杂，经批准延长", "leader1")
    (after,) = [r for r in rows(db, case.id) if r.kind == "sla"]
    assert after.due_at == out["new_due_at"] and after.due_at > sla.due_at + timedelta(days=29)
    assert after.warn_at - after.due_at == sla.warn_at - sla.due_at
    assert open_task(db, case.id, "examine").due_at == after.due_at  # the task follows its extended deadline
    with db.begin() as conn:
        ext = conn.execute(select(deadline_extensions)).one()
        (timer,) = [r for r in store.for_case(conn, case.id) if r.kind == "timer"]
        events = service.case_events(conn, case.id)
    assert (ext.approved_by, ext.reason, ext.amount) == ("leader1", "案情复杂，经批准延长", 30)
    assert events[-1].kind == "deadline_extended" and events[-1].actor == "leader1"
    with db.begin() as conn, pytest.raises(Conflict):
        clocks.extend_deadline(conn, timer.id, 5, "natural", "timers follow the model", "leader1")


def test_seed_adds_missing_rules_and_keeps_edits(db):
    with db.begin() as conn:
        assert sla_seed.seed(conn) == (len(sla_seed.SEED) + len(sla_seed.SEED_PETITION) + len(sla_seed.SEED_MEDIATION)
                                       + len(sla_seed.SEED_LEADER))
        store.update_rule(conn, "intake_register_1wd", {"duration": 2})
        assert sla_seed.seed(conn) == 0
        assert conn.execute(select(sla_rules.c.duration).where(sla_rules.c.key == "intake_register_1wd")).scalar() == 2


def test_claim_due_takes_due_and_warn_due_rows_once_per_lease(db):
    deploy(db, "review_v1.bpmn")
    add_rule(db, duration=10)
    t0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False):
        case = start(db)
        complete(db, case.open_tasks[0].id, REGISTER)
    with db.begin() as conn:
        assert store.claim_due(conn, t0 + timedelta(days=1), t0 + timedelta(days=1, seconds=30)) == []
    at = t0 + timedelta(days=9)  # past the SLA warn point (80%), before any due
    with db.begin() as conn:
        claimed = store.claim_due(conn, at, at + timedelta(seconds=30))
    assert [r.kind for r in claimed] == ["sla"]
    with db.begin() as conn:
        assert store.claim_due(conn, at + timedelta(seconds=10), at + timedelta(seconds=40)) == []  # leased
        assert [r.kind for r in store.claim_due(conn, at + timedelta(seconds=31), at + timedelta(seconds=61))] == ["sla"]


def test_concurrent_dispatchers_claim_disjoint_rows(pg_db):
    import threading

    deploy(pg_db, "review_v1.bpmn")
    for _ in range(20):
        case = start(pg_db)
        complete(pg_db, case.open_tasks[0].id, REGISTER)
    later = datetime.now(UTC) + timedelta(days=31)
    got, barrier = [], threading.Barrier(2)

    def dispatcher():
        with pg_db.begin() as conn:
            barrier.wait()
            rows_ = store.claim_due(conn, later, later + timedelta(seconds=30), limit=15)
            got.append({r.id for r in rows_})

    ts = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(30)
    assert len(got) == 2 and not (got[0] & got[1]) and len(got[0] | got[1]) == 20
