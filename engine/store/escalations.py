"""Escalation rows: a deadline with its case and task (locked), state changes, escalation tasks, leader claims."""

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from engine.store.tables import cases, deadlines, sla_rules, tasks, users

OPEN_TASK = ("ready", "claimed")

CONTEXT_COLUMNS = (
    select(deadlines, cases.c.case_number, cases.c.community, cases.c.process_key,
           cases.c.status.label("case_status"), cases.c.paused_at.label("case_paused_at"), cases.c.leader,
           tasks.c.name.label("task_name"), tasks.c.assignee, tasks.c.candidate_group,
           tasks.c.status.label("task_status"))
    .join(cases, cases.c.id == deadlines.c.case_id)
    .outerjoin(tasks, tasks.c.id == deadlines.c.task_id)
)
_CONTEXT = CONTEXT_COLUMNS.where(deadlines.c.id == bindparam("did"))


def lock(conn: Connection, deadline_id: int):
    """The deadline row with its case's and task's fields, or None.

    Locks the case row first, then the deadline: the order engine steps use (no deadlock).
    """
    if conn.dialect.name != "postgresql":  # SQLite: BEGIN IMMEDIATE already serializes writers
        return conn.execute(_CONTEXT, {"did": deadline_id}).first()
    case_id = conn.execute(select(deadlines.c.case_id).where(deadlines.c.id == deadline_id)).scalar()
    if case_id is None:
        return None
    conn.execute(select(cases.c.id).where(cases.c.id == case_id).with_for_update())
    return conn.execute(_CONTEXT.with_for_update(of=deadlines), {"did": deadline_id}).first()


def set_state(conn: Connection, deadline_id: int, expected_status: str, values: dict) -> bool:
    """Change the row only if it is still in ``expected_status`` (a lost race changes nothing)."""
    return conn.execute(update(deadlines)
                        .where(deadlines.c.id == deadline_id, deadlines.c.status == expected_status)
                        .values(**values)).rowcount == 1


def escalate_after_hours(conn: Connection, rule_key: str | None) -> int | None:
    if rule_key is None:
        return None
    return conn.execute(select(sla_rules.c.escalate_after_hours).where(sla_rules.c.key == rule_key)).scalar()


def insert_task(conn: Connection, values: dict) -> None:
    conn.execute(tasks.insert().values(kind="escalation", **values))


def lock_task(conn: Connection, task_id: str):
    q = select(tasks).where(tasks.c.id == task_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return conn.execute(q).first()


def open_escalation_tasks(conn: Connection, deadline_id: int) -> list:
    return list(conn.execute(select(tasks).where(tasks.c.deadline_id == deadline_id, tasks.c.kind == "escalation")
                             .order_by(tasks.c.created_at)))


def complete_task(conn: Connection, task_id: str, actor: str | None, at: datetime) -> bool:
    return conn.execute(update(tasks).where(tasks.c.id == task_id, tasks.c.status.in_(OPEN_TASK))
                        .values(status="completed", completed_at=at, completed_by=actor)).rowcount == 1


def first_leader(conn: Connection) -> str | None:
    """The first active user with the leader role (by id)."""
    return conn.execute(select(users.c.username).where(users.c.role == "leader", users.c.active.is_(True))
                        .order_by(users.c.id).limit(1)).scalar()


def set_case_leader(conn: Connection, case_id: int, leader: str, at: datetime) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(leader=leader, updated_at=at))


_LEADER_DUE = and_(
    deadlines.c.status == "fired",
    deadlines.c.escalation_level == 2,
    deadlines.c.closed_at.is_(None),
    deadlines.c.next_escalation_at <= bindparam("now"),
    or_(deadlines.c.claimed_until.is_(None), deadlines.c.claimed_until < bindparam("now")),
    cases.c.status == "active",
    cases.c.paused_at.is_(None),
)


def claim_leader_due(conn: Connection, now: datetime, lease_until: datetime, limit: int = 500) -> list:
    """Claim fired rows whose task is still open and whose leader step is due (concurrent-safe)."""
    q = (select(deadlines.c.id, deadlines.c.case_id, deadlines.c.kind, deadlines.c.status,
                deadlines.c.next_escalation_at)
         .join(cases, cases.c.id == deadlines.c.case_id)
         .where(_LEADER_DUE).order_by(deadlines.c.next_escalation_at).limit(limit))
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(of=deadlines, skip_locked=True)
    rows = list(conn.execute(q, {"now": now}))
    if rows:
        conn.execute(update(deadlines).where(deadlines.c.id.in_([r.id for r in rows]))
                     .values(claimed_until=lease_until, attempts=deadlines.c.attempts + 1))
    return rows


def counts_by_status(conn: Connection) -> dict[str, int]:
    """How many deadline rows are in each status (tests and health)."""
    from sqlalchemy import func

    rows = conn.execute(select(deadlines.c.status, func.count()).group_by(deadlines.c.status))
    return {s: n for s, n in rows}
