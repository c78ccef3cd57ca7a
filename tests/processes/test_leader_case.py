"""leader_case (领导包案): the leader takes charge (with or without a joint meeting), sets a target date with a
clock of its own, writes a progress note every 7 days, and sees the resolution through; the leader is chosen by
rule (TIAOJIE_LEADER_RULES) or by hand."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from engine import deadlines
from engine.cases import service
from engine.core.settings import get_settings
from engine.store.tables import cases
from tests.helpers.notifications import add_user
from tests.helpers.process_driver import (
    FOLLOW_THROUGH,
    JOINT_MEETING,
    PROGRESS,
    START,
    SUPERVISION,
    Expect,
    Wait,
    drive,
    intake,
    open_tasks,
    review,
    take_charge,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTE = 1 / 1440  # a cycle timer fires once its time has passed


def local(dt) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def tasks_of(db, case_id) -> dict:
    return {t.element_id: t for t in open_tasks(db, case_id)}


def test_leader_takes_charge_with_joint_meeting(db):
    case, visited = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=True)),
                                               ("joint_meeting", JOINT_MEETING),
                                               ("leader_follow_up", FOLLOW_THROUGH)])
    assert visited == ["leader_take_charge", "joint_meeting", "leader_follow_up"]
    assert case.status == "completed" and case.open_tasks == []
    assert case.outcome is None  # not an end of the case: dispute_case goes on to route and close it
    assert case.data["leader_name"] == "刘主任" and case.data["leader_target_on"] == "2025-03-20"


def test_leader_takes_charge_without_joint_meeting(db):
    case, visited = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=False)),
                                               ("leader_follow_up", FOLLOW_THROUGH)])
    assert visited == ["leader_take_charge", "leader_follow_up"]
    assert case.status == "completed" and case.open_tasks == []


def test_tasks_go_to_leader_then_supervisor(db):
    case, _ = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=True))])
    assert [(t.element_id, t.group) for t in case.open_tasks] == [("joint_meeting", "supervisor")]


def test_the_target_date_is_the_follow_up_due_time_and_its_timer_goes_to_the_justice_office(db):
    """Taken in charge Monday 3 March 2025 10:00 with target 20 March: due 20 March 23:59; on 21 March the
    supervisors get 包案逾期督办 while the leader's task stays open."""
    case, _ = drive(db, "leader_case", [
        ("leader_take_charge", take_charge(meeting=False)),
        Expect(open=["leader_follow_up"]),
    ])
    follow = tasks_of(db, case.id)["leader_follow_up"]
    assert local(follow.due_at) == "2025-03-20 23:59" and follow.group == "leader"
    with db.begin() as conn:
        events = service.case_events(conn, case.id)
    assert [e.data["day"] for e in events if e.kind == "leader_target_set"] == ["2025-03-20"]

    case, _ = drive(db, "leader_case", [
        ("leader_take_charge", take_charge(meeting=False)),
        Wait(days=17.5),  # Thursday 20 March 22:00: not yet
        Expect(absent=["leader_target_overdue"]),
        Wait(days=0.1),  # 20 March 24:24 = 21 March 00:24
        Expect(open=["leader_follow_up", "leader_target_overdue"]),
        ("leader_target_overdue", SUPERVISION),
        ("leader_follow_up", FOLLOW_THROUGH),
    ])
    assert case.status == "completed"
    with db.begin() as conn:
        fired = [e for e in service.case_events(conn, case.id) if e.kind == "timer_fired"]
    assert [local(datetime.fromisoformat(e.data["due"])) for e in fired][-1] == "2025-03-20 23:59"


def test_a_progress_note_every_seven_days_while_the_leader_works(db):
    """The cycle "R/P7D" (SpiffWorkflow 3.2 runs it here) starts when the follow-through starts (3 March 10:00):
    a 包案进展记录 task on 10 March, another on 17 March; each due in 3 working days (rule
    leader_progress_note_3wd). Closing the follow-through ends the notes still open."""
    with db.begin() as conn:
        deadlines.seed_rules(conn)
    case, _ = drive(db, "leader_case", [
        ("leader_take_charge", dict(take_charge(meeting=False), leader_target_on="2025-04-30")),
        Wait(days=7 - MINUTE),  # 10 March 09:59
        Expect(absent=["leader_progress_note"]),
        Wait(days=2 * MINUTE),  # 10 March 10:01
        Expect(open=["leader_follow_up", "leader_progress_note"]),
    ])
    note = tasks_of(db, case.id)["leader_progress_note"]
    assert local(note.created_at) == "2025-03-10 10:01" and note.group == "leader"
    assert local(note.due_at) == "2025-03-13 23:59"  # Tue, Wed, Thu: 3 working days, first day not counted
    assert local(case.next_timer_at) == "2025-03-17 10:00"  # the next note, 7 days after the first

    case, _ = drive(db, "leader_case", [
        ("leader_take_charge", dict(take_charge(meeting=False), leader_target_on="2025-04-30")),
        Wait(days=7 + MINUTE),
        ("leader_progress_note", PROGRESS),
        Wait(days=7),  # 17 March 10:01
        Expect(open=["leader_progress_note"]),
        ("leader_follow_up", FOLLOW_THROUGH),
    ])
    assert case.status == "completed" and case.open_tasks == []
    with db.begin() as conn:
        events = service.case_events(conn, case.id)
    notes = [e for e in events if e.kind == "task_created" and e.data["element"] == "leader_progress_note"]
    assert [local(e.at) for e in notes] == ["2025-03-10 10:01", "2025-03-17 10:01"]
    assert [e.data["element"] for e in events if e.kind == "task_cancelled"] == ["leader_progress_note"]


def _key_case_to_leader(db, community="福田社区", dispute_type="neighbourhood", at=START):
    with time_machine.travel(at, tick=False):
        with db.begin() as conn:
            case = service.start_case(conn, "dispute_case", {}, actor="window1")
            case = service.complete_task(conn, case.open_tasks[0].id, intake(
                risk_level="red", community=community, dispute_type=dispute_type), actor="window1")
            return service.complete_task(conn, case.open_tasks[0].id, review("consultation", override=True),
                                         actor="lawyer1")


def _leader_of(db, case_id):
    with db.begin() as conn:
        return conn.execute(select(cases.c.leader).where(cases.c.id == case_id)).scalar_one()


def test_the_leader_is_chosen_by_community_or_dispute_type_rule(db, leader_rules):
    from engine import processes
    from tests.helpers.process_driver import bundle

    for name in ("wang", "zhao"):
        add_user(db, name, role="leader", communities=())
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
    by_community = _key_case_to_leader(db, community="岗厦社区")
    take = tasks_of(db, by_community.id)["leader_take_charge"]
    assert take.assignee == "wang" and _leader_of(db, by_community.id) == "wang"
    assert "legal_consultation" in tasks_of(db, by_community.id)  # the handling runs in parallel
    by_type = _key_case_to_leader(db, dispute_type="labour")
    assert tasks_of(db, by_type.id)["leader_take_charge"].assignee == "zhao"
    with db.begin() as conn:
        chosen = [e for e in service.case_events(conn, by_type.id) if e.kind == "leader_chosen"]
    assert [(e.data["leader"], e.data["by"], e.data["rule"]) for e in chosen] == [
        ("zhao", "rule", {"dispute_type": "labour", "leader": "zhao"})]
    # a rule naming nobody who can lead (no such leader): chosen by hand, the task stays with the group
    by_hand = _key_case_to_leader(db)
    take = tasks_of(db, by_hand.id)["leader_take_charge"]
    assert take.assignee is None and _leader_of(db, by_hand.id) is None
    with time_machine.travel(START + timedelta(hours=1), tick=False), db.begin() as conn:
        service.complete_task(conn, take.id, take_charge(meeting=False), actor="wang")
    assert _leader_of(db, by_hand.id) == "wang"


def test_leader_rules_must_be_a_list_of_leaders(monkeypatch):
    from engine.cases.warning import choose_leader
    from engine.core.errors import InvalidData

    monkeypatch.setenv("TIAOJIE_LEADER_RULES", '{"leader": "x"}')
    get_settings.cache_clear()
    try:
        with pytest.raises(InvalidData):
            choose_leader("福田社区", "labour")
    finally:
        monkeypatch.delenv("TIAOJIE_LEADER_RULES")
        get_settings.cache_clear()
    assert choose_leader("福田社区", "labour") == (None, None)
