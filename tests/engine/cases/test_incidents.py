"""异常 (issue 17): a failed step is retried after its data is fixed, or skipped with a reason; a case is
suspended (steps refused, clocks still), resumed and ended; failed emails are sent again or dropped; stuck
cases are listed. Every action is logged and on the timeline."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select, update

from engine import cases
from engine.core.errors import Conflict, InvalidData, StepFailed
from engine.core.types import User
from engine.store import drafts
from engine.store.tables import cases as case_table
from engine.store.tables import exception_actions, incidents, outbox
from tests.helpers.engine import complete, events, open_task, start
from tests.helpers.scripts import deploy_script

SUPERVISOR = User(5, "erin", "supervisor")
SHARE = "share = amount / people"


def failed_case(db):
    deploy_script(db, SHARE)
    case = start(db, "scripted")
    task_id = case.open_tasks[0].id
    with pytest.raises(StepFailed):
        complete(db, task_id, {"amount": 100, "people": 0})
    return case, task_id


def overview(db) -> dict:
    with db.begin() as conn:
        return cases.exceptions_overview(conn, SUPERVISOR)


def test_a_failed_step_is_listed_kept_as_a_draft_and_retried_once_its_data_is_fixed(db):
    case, task_id = failed_case(db)
    [item] = overview(db)["incidents"]
    assert item["case_id"] == case.id and item["element_id"] == "boom" and item["task_id"] == task_id
    assert "division by zero" in item["message"] and item["actor"] == "alice" and item["task_name"] == "第一步"
    with db.begin() as conn:
        assert drafts.get(conn, task_id).data == {"amount": 100, "people": 0}
    with pytest.raises(StepFailed), db.begin() as conn:  # retried as it is: the same incident, one attempt more
        cases.retry_incident(conn, SUPERVISOR, item["id"])
    [again] = overview(db)["incidents"]
    assert again["id"] == item["id"] and again["attempts"] == 2
    with db.begin() as conn:  # its holder corrects the draft
        drafts.save(conn, task_id, {"amount": 100, "people": 4}, "alice", datetime.now(UTC))
    with db.begin() as conn:
        out = cases.retry_incident(conn, SUPERVISOR, item["id"])
    assert [t["name"] for t in out["open_tasks"]] == ["第二步"]
    assert open_task(db, case.id, "second").status == "ready"
    assert overview(db)["incidents"] == []
    kinds = [e.kind for e in events(db, case.id)]
    assert kinds.count("incident") == 2 and "task_completed" in kinds and kinds[-1] == "incident_retried"
    with db.begin() as conn:
        assert conn.execute(select(case_table.c.data).where(case_table.c.id == case.id)).scalar()["share"] == 25
        assert [r.action for r in conn.execute(select(exception_actions))] == ["retry", "retry"]


def test_a_failed_element_is_skipped_with_a_reason(db):
    case, _ = failed_case(db)
    [item] = overview(db)["incidents"]
    with pytest.raises(InvalidData), db.begin() as conn:
        cases.skip_incident(conn, SUPERVISOR, item["id"], "  ")
    with db.begin() as conn:
        out = cases.skip_incident(conn, SUPERVISOR, item["id"], "人数待核实，先行调解")
    assert out["skipped"] and [t["name"] for t in out["open_tasks"]] == ["第二步"]
    skipped = [e for e in events(db, case.id) if e.kind == "incident_skipped"]
    assert skipped[0].data["reason"] == "人数待核实，先行调解" and skipped[0].actor == "erin"
    with pytest.raises(Conflict), db.begin() as conn:  # resolved
        cases.retry_incident(conn, SUPERVISOR, item["id"])


def test_a_suspended_case_refuses_steps_until_resumed_and_an_ended_case_is_closed(db):
    deploy_script(db, "x = 1")
    case = start(db, "scripted")
    task_id = case.open_tasks[0].id
    with db.begin() as conn:
        assert cases.suspend_case(conn, SUPERVISOR, case.id, "等待上级意见")["status"] == "suspended"
    with pytest.raises(Conflict):
        complete(db, task_id, {})
    with db.begin() as conn:
        assert conn.execute(select(case_table.c.paused_at).where(case_table.c.id == case.id)).scalar() is not None
        assert cases.reactivate_case(conn, SUPERVISOR, case.id, "上级已答复")["status"] == "active"
        assert conn.execute(select(case_table.c.paused_at).where(case_table.c.id == case.id)).scalar() is None
    kinds = [e.kind for e in events(db, case.id)]
    assert kinds[-4:] == ["case_paused", "case_suspended", "case_resumed", "case_reactivated"]
    with db.begin() as conn:
        cases.suspend_case(conn, SUPERVISOR, case.id, "再次挂起")
    with db.begin() as conn:
        assert cases.end_case(conn, SUPERVISOR, case.id, "当事人撤回申请")["status"] == "cancelled"
    assert "case_cancelled" in [e.kind for e in events(db, case.id)][-3:]
    with pytest.raises(Conflict), db.begin() as conn:
        cases.reactivate_case(conn, SUPERVISOR, case.id, "x")


def test_failed_emails_are_sent_again_or_dropped_with_a_reason(db):
    deploy_script(db, "x = 1")
    case = start(db, "scripted")
    now = datetime.now(UTC)
    with db.begin() as conn:
        ids = [conn.execute(outbox.insert().values(
            dedupe_key=f"k{i}", case_id=case.id, to_address="a@example.org", template="task_assigned", context={},
            status="failed", attempts=5, next_attempt_at=now, last_error="550 mailbox unavailable",
            message_id=f"<m{i}@x>", created_at=now).returning(outbox.c.id)).scalar_one() for i in range(2)]
    emails = overview(db)["emails"]
    assert {e["id"] for e in emails} == set(ids) and emails[0]["error"] == "550 mailbox unavailable"
    with db.begin() as conn:
        cases.retry_email(conn, SUPERVISOR, ids[0])
        cases.drop_email(conn, SUPERVISOR, ids[1], "地址已停用")
        rows = {r.id: r for r in conn.execute(select(outbox))}
    assert rows[ids[0]].status == "pending" and rows[ids[0]].attempts == 0
    assert rows[ids[1]].status == "dropped"
    assert overview(db)["emails"] == []
    assert [e.kind for e in events(db, case.id)][-2:] == ["email_retried", "email_dropped"]


def test_a_case_with_no_open_task_nor_timer_is_stuck(db):
    deploy_script(db, "x = 1")
    case = start(db, "scripted")
    assert overview(db)["stuck"] == []
    with db.begin() as conn:  # its only task closed behind the workflow's back
        from engine.store.tables import tasks
        conn.execute(update(tasks).where(tasks.c.case_id == case.id).values(status="cancelled"))
    [stuck] = overview(db)["stuck"]
    assert stuck["id"] == case.id and stuck["case_number"] == case.case_number
    with db.begin() as conn:
        cases.end_case(conn, SUPERVISOR, case.id, "流程无法继续")
    assert overview(db)["stuck"] == []
    with db.begin() as conn:
        assert conn.execute(select(incidents)).all() == []


TIMED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs_timed" targetNamespace="http://tiaojie.example/test">
  <bpmn:process id="timed" name="定时流程" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="Lane_intake" name="窗口受理"><bpmn:flowNodeRef>after</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="boom"/>
    <bpmn:scriptTask id="boom" name="计算"><bpmn:script>x = 1 / 0</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f3" sourceRef="boom" targetRef="after"/>
    <bpmn:userTask id="after" name="后续"/>
    <bpmn:sequenceFlow id="f4" sourceRef="after" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_timer_step_that_fails_counts_its_attempts_and_is_skipped(db):
    from engine import processes
    from engine.cases import service

    with db.begin() as conn:
        processes.deploy(conn, {"timed.bpmn": TIMED.encode()}, actor="test")
    case = start(db, "timed")
    assert case.open_tasks == []
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2), tick=False):
        for _ in range(2):  # the sweep retries it: one incident, two attempts
            with pytest.raises(StepFailed), db.begin() as conn:
                service.fire_due_timers(conn, case.id)
        [item] = overview(db)["incidents"]
        assert item["element_id"] == "boom" and item["task_id"] is None and item["attempts"] == 2
        with db.begin() as conn:
            out = cases.skip_incident(conn, SUPERVISOR, item["id"], "该计算已人工完成")
    assert [t["name"] for t in out["open_tasks"]] == ["后续"]
    assert overview(db)["incidents"] == []
