"""Rules run from the office (engine.deadlines.rule_admin): who is alerted, a change of the start date, the task's
due time following its moved deadline."""

from datetime import timedelta

from sqlalchemy import select

from engine.deadlines import escalation as escalations
from engine.deadlines import rule_admin
from engine.store.tables import outbox, tasks
from tests.helpers.deadlines import case_with_sla, sla_rows


def mails(db):
    with db.begin() as conn:
        return sorted((r.template, r.to_user) for r in conn.execute(select(outbox.c.template, outbox.c.to_user)))


def test_the_escalation_tells_only_whom_the_rule_alerts(db):
    case, sla = case_with_sla(db)
    with db.begin() as conn:
        rule_admin.change(conn, "examine_10d", {"alerts": ["supervisor"]}, "super1")
        assert escalations.warn(conn, sla.id, sla.warn_at)
    assert mails(db) == []  # the assignee's group is not alerted
    late = sla.due_at + timedelta(minutes=5)
    with db.begin() as conn:
        assert escalations.breach(conn, sla.id, late)
        assert escalations.escalate_leader(conn, sla.id, late + timedelta(hours=24))
    assert {t for t, _ in mails(db)} == {"escalation_supervisor"}  # no breach mail to the caseworkers, no leader
    (row,) = sla_rows(db, case.id)
    assert row.escalation_level == 3  # the steps still ran


def test_a_moved_deadline_moves_its_task_and_a_new_start_date_counts_from_the_case_date(db):
    case, sla = case_with_sla(db)
    with db.begin() as conn:
        rule, moves = rule_admin.save(conn, "examine_10d", {"duration": "15 日"}, "super1", "test")
    (row,) = sla_rows(db, case.id)
    assert row.due_at == moves[0]["new_due"] and row.amount == 15 and row.due_at > sla.due_at
    with db.begin() as conn:
        (task_due,) = conn.execute(select(tasks.c.due_at).where(tasks.c.id == sla.task_id)).scalars()
    assert task_due == row.due_at
    with db.begin() as conn:
        preview = rule_admin.preview(conn, "examine_10d", {"starts_from": "accepted_on"})
    assert preview["moves"] == []  # the case has no 受理日期: it keeps counting from the task
    with db.begin() as conn:
        assert rule_admin.history(conn, "examine_10d")[0].moved == 1
