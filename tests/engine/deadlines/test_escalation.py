"""The escalation chain: warn → breach (督办 task) → leader (领导包案), each once; paused cases wait."""

import time
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from engine.cases import pause as clocks
from engine.cases import service
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.deadlines import escalation as escalations
from engine.store import deadlines as store
from engine.store.tables import cases, tasks
from tests.helpers.deadlines import T0, case_with_sla, sla_rows
from tests.helpers.engine import complete


def kinds(db, case_id):
    with db.begin() as conn:
        return [e.kind for e in service.case_events(conn, case_id)]


def escalation_tasks(db, case_id):
    with db.begin() as conn:
        return list(conn.execute(select(tasks).where(tasks.c.case_id == case_id, tasks.c.kind == "escalation")))


def test_steps_act_only_in_their_state(db):
    case, sla = case_with_sla(db)
    with db.begin() as conn:
        assert not escalations.warn(conn, sla.id, sla.warn_at - timedelta(seconds=1))  # too early
        assert not escalations.breach(conn, sla.id, sla.due_at - timedelta(seconds=1))
        assert not escalations.escalate_leader(conn, sla.id, sla.due_at + timedelta(days=5))
        assert escalations.warn(conn, sla.id, sla.warn_at)
        assert not escalations.warn(conn, sla.id, sla.warn_at)  # duplicate
        assert not escalations.warn(conn, 10**9, sla.warn_at)  # no such row
    (row,) = sla_rows(db, case.id)
    assert (row.status, row.escalation_level) == ("warned", 1)
    late = sla.due_at + timedelta(minutes=5)
    with db.begin() as conn:
        assert escalations.breach(conn, sla.id, late)
        assert not escalations.breach(conn, sla.id, late)
        assert not escalations.escalate_leader(conn, sla.id, late + timedelta(hours=23))
    (row,) = sla_rows(db, case.id)
    assert (row.status, row.escalation_level, row.next_escalation_at) == ("fired", 2, late + timedelta(hours=24))
    (task,) = escalation_tasks(db, case.id)
    assert (task.candidate_group, task.status, task.deadline_id, task.name) == (
        "supervisor", "ready", sla.id, "逾期督办：审查（10日）")
    with db.begin() as conn:
        queue = service.list_tasks(conn, group="supervisor")
    assert task.id in [t.id for t in queue]
    with db.begin() as conn:
        assert escalations.escalate_leader(conn, sla.id, late + timedelta(hours=24))
        assert not escalations.escalate_leader(conn, sla.id, late + timedelta(hours=48))
    (row,) = sla_rows(db, case.id)
    assert row.escalation_level == 3
    with db.begin() as conn:
        assert conn.execute(select(cases.c.leader).where(cases.c.id == case.id)).scalar() == "leader1"
        events = service.case_events(conn, case.id)
    assert [e.kind for e in events].count("deadline_warning") == 1
    assert [e.kind for e in events].count("deadline_breached") == 1
    (assigned,) = [e for e in events if e.kind == "leader_case_assigned"]
    assert assigned.data["leader"] == "leader1"


def test_breach_without_warning_and_no_leader_once_the_task_is_done(db):
    case, sla = case_with_sla(db)
    late = sla.due_at + timedelta(hours=1)
    with db.begin() as conn:
        assert not escalations.warn(conn, sla.id, late)  # past due: a warning is pointless
        assert escalations.breach(conn, sla.id, late)
    with time_machine.travel(late, tick=False):
        with db.begin() as conn:
            (examine,) = service.list_tasks(conn, case_id=case.id, group="mediator")
        complete(db, examine.id, {})
    (row,) = sla_rows(db, case.id)
    assert row.status == "fired" and row.closed_at is not None  # a fired one stays fired
    with db.begin() as conn:
        assert not escalations.escalate_leader(conn, sla.id, late + timedelta(days=2))


def test_acknowledge_closes_the_escalation_task_with_a_note(db):
    case, sla = case_with_sla(db)
    with db.begin() as conn:
        escalations.breach(conn, sla.id, sla.due_at + timedelta(minutes=1))
    (task,) = escalation_tasks(db, case.id)
    for data, err in [({}, InvalidData), ({"note": "  "}, InvalidData), ({"note": "x" * 2001}, InvalidData),
                      (None, InvalidData)]:
        with db.begin() as conn, pytest.raises(err):
            escalations.acknowledge(conn, task.id, data, "super1")
    with db.begin() as conn, pytest.raises(NotFound):
        escalations.acknowledge(conn, "no-such-task", {"note": "ok"}, "super1")
    with db.begin() as conn:
        bpmn_task = service.list_tasks(conn, case_id=case.id, group="mediator")
    if bpmn_task:  # a BPMN task is not an escalation task
        with db.begin() as conn, pytest.raises(NotFound):
            escalations.acknowledge(conn, bpmn_task[0].id, {"note": "ok"}, "super1")
    with db.begin() as conn:
        out = escalations.acknowledge(conn, task.id, {"note": "已督促调解员三日内办结"}, "super1")
    assert task.id not in [t.id for t in out.open_tasks]
    with db.begin() as conn, pytest.raises(Conflict):
        escalations.acknowledge(conn, task.id, {"note": "again"}, "super1")
    assert kinds(db, case.id)[-1] == "escalation_acknowledged"


# -- embedded mode: StubBroker, in-process worker, dispatcher thread ------------------------------
def wait_for(predicate, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def settle(db, case_id, seconds: float = 1.0):
    """Let the dispatcher tick a few more times (leases are short): nothing more may happen."""
    before = kinds(db, case_id)
    time.sleep(seconds)
    assert kinds(db, case_id) == before


def test_chain_end_to_end_in_embedded_mode(db, embedded):
    case, sla = case_with_sla(db)
    with time_machine.travel(sla.warn_at + timedelta(seconds=1), tick=True) as clock:
        embedded()
        wait_for(lambda: "deadline_warning" in kinds(db, case.id), "the warning")
        settle(db, case.id)
        clock.move_to(sla.due_at + timedelta(seconds=1), tick=True)
        wait_for(lambda: "deadline_breached" in kinds(db, case.id), "the breach")
        settle(db, case.id)
        (row,) = sla_rows(db, case.id)
        assert (row.status, row.escalation_level) == ("fired", 2)
        assert [t.candidate_group for t in escalation_tasks(db, case.id)] == ["supervisor"]
        clock.move_to(row.next_escalation_at + timedelta(seconds=1), tick=True)
        wait_for(lambda: "leader_case_assigned" in kinds(db, case.id), "the leader step")
        settle(db, case.id)
    got = kinds(db, case.id)
    assert [got.count(k) for k in ("deadline_warning", "deadline_breached", "leader_case_assigned")] == [1, 1, 1]
    assert got.index("deadline_warning") < got.index("deadline_breached") < got.index("leader_case_assigned")
    with db.begin() as conn:
        assert conn.execute(select(cases.c.leader).where(cases.c.id == case.id)).scalar() == "leader1"
    (row,) = sla_rows(db, case.id)
    assert (row.status, row.escalation_level, row.next_escalation_at) == ("fired", 3, None)


def test_paused_case_neither_warns_nor_fires(db, embedded):
    case, sla = case_with_sla(db)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        with db.begin() as conn:
            clocks.pause_case(conn, case.id, "mediator1", "等待被申请人到场")
    with time_machine.travel(T0 + timedelta(days=45), tick=True):  # past warn, due, and the 30-day timer
        embedded()
        time.sleep(1.5)  # dozens of dispatcher ticks
        got = kinds(db, case.id)
    assert not {"deadline_warning", "deadline_breached", "timer_fired", "leader_case_assigned"} & set(got)
    with db.begin() as conn:
        assert {r.status for r in store.for_case(conn, case.id)} == {"paused"}


def test_timer_rows_fire_through_the_engine(db, embedded):
    case, sla = case_with_sla(db)
    with db.begin() as conn:
        (timer,) = [r for r in store.for_case(conn, case.id) if r.kind == "timer"]
    with time_machine.travel(timer.due_at + timedelta(seconds=1), tick=True):
        embedded()
        wait_for(lambda: "timer_fired" in kinds(db, case.id), "the BPMN timer")
        settle(db, case.id)
    with db.begin() as conn:
        open_ = [t.element_id for t in service.get_case(conn, case.id).open_tasks]
    assert "overdue" in open_ and kinds(db, case.id).count("timer_fired") == 1
