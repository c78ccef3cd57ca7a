"""Escalation rows in batches: lock deadlines with their cases and tasks, change them in one statement,
escalation tasks, leader claims. The statements per batch do not grow with its size (a batch may be one id).
"""

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, case, or_, select, update

from engine.store.tables import cases, deadlines, sla_rules, tasks, users

OPEN_TASK = ("ready", "claimed")

_CONTEXT = (
    select(
        *(c for c in deadlines.c if c.name != "process_key"),  # the case's process_key below
        cases.c.case_number,
        cases.c.community,
        cases.c.process_key,
        cases.c.status.label("case_status"),
        cases.c.paused_at.label("case_paused_at"),
        cases.c.leader,
        tasks.c.name.label("task_name"),
        tasks.c.assignee,
        tasks.c.candidate_group,
        tasks.c.status.label("task_status"),
    )
    .join(cases, cases.c.id == deadlines.c.case_id)
    .outerjoin(tasks, tasks.c.id == deadlines.c.task_id)
)


def lock_many(conn: Connection, ids: list[int], statuses: tuple[str, ...]) -> list:
    """The rows of ``ids`` still in one of ``statuses``, open, not timers, of an active unpaused case;
    with the fields of their case and task, locked, by id.

    PostgreSQL: the cases are locked first, in id order (the order engine steps and other batches
    use, so no deadlock), then the deadline rows. SQLite: BEGIN IMMEDIATE already serializes writers.
    """
    if not ids:
        return []
    q = _CONTEXT.where(
        deadlines.c.id.in_(ids),
        deadlines.c.kind != "timer",
        deadlines.c.status.in_(statuses),
        deadlines.c.closed_at.is_(None),
        cases.c.status == "active",
        cases.c.paused_at.is_(None),
    ).order_by(deadlines.c.id)
    if conn.dialect.name == "postgresql":
        case_ids = select(deadlines.c.case_id).where(deadlines.c.id.in_(ids)).scalar_subquery()
        conn.execute(
            select(cases.c.id).where(cases.c.id.in_(case_ids)).order_by(cases.c.id).with_for_update()
        )
        q = q.with_for_update(of=deadlines)
    return list(conn.execute(q))


def escalate_after_hours(conn: Connection, rule_keys: set[str]) -> dict[str, int]:
    """escalate_after_hours of each of ``rule_keys`` that has a value (one query)."""
    keys = sorted(k for k in rule_keys if k is not None)
    if not keys:
        return {}
    rows = conn.execute(
        select(sla_rules.c.key, sla_rules.c.escalate_after_hours).where(sla_rules.c.key.in_(keys))
    )
    return {r.key: r.escalate_after_hours for r in rows if r.escalate_after_hours}


def set_states(conn: Connection, ids: list[int], expected: tuple[str, ...], values: dict) -> set[int]:
    """Change the rows of ``ids`` still in one of ``expected``; the ids changed."""
    if not ids:
        return set()
    return set(
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id.in_(ids), deadlines.c.status.in_(expected))
            .values(**values)
            .returning(deadlines.c.id)
        ).scalars()
    )


def by_rule(rule_key_values: dict[str, datetime], default: datetime):
    """A per-row value chosen by the row's rule key (``default`` for other keys and none)."""
    if not rule_key_values:
        return default
    return case(rule_key_values, value=deadlines.c.rule_key, else_=default)


def insert_tasks(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(tasks.insert(), [{"kind": "escalation", **r} for r in rows])


def lock_task(conn: Connection, task_id: str):
    q = select(tasks).where(tasks.c.id == task_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return conn.execute(q).first()


def complete_task(conn: Connection, task_id: str, actor: str | None, at: datetime) -> bool:
    return (
        conn.execute(
            update(tasks)
            .where(tasks.c.id == task_id, tasks.c.status.in_(OPEN_TASK))
            .values(status="completed", completed_at=at, completed_by=actor)
        ).rowcount
        == 1
    )


def first_leader(conn: Connection) -> str | None:
    """The first active user with the leader role (by id)."""
    return conn.execute(
        select(users.c.username)
        .where(users.c.role == "leader", users.c.active.is_(True))
        .order_by(users.c.id)
        .limit(1)
    ).scalar()


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
    q = (
        select(
            deadlines.c.id,
            deadlines.c.case_id,
            deadlines.c.kind,
            deadlines.c.status,
            deadlines.c.next_escalation_at,
        )
        .join(cases, cases.c.id == deadlines.c.case_id)
        .where(_LEADER_DUE)
        .order_by(deadlines.c.next_escalation_at)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(of=deadlines, skip_locked=True)
    rows = list(conn.execute(q, {"now": now}))
    if rows:
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id.in_([r.id for r in rows]))
            .values(claimed_until=lease_until, attempts=deadlines.c.attempts + 1)
        )
    return rows


def rule_alerts(conn: Connection, rule_keys: set[str]) -> dict[str, set[str]]:
    """Who each of ``rule_keys`` alerts (``sla_rules.alerts``: assignee, supervisor, leader), one query."""
    keys = sorted(k for k in rule_keys if k is not None)
    if not keys:
        return {}
    rows = conn.execute(select(sla_rules.c.key, sla_rules.c.alerts).where(sla_rules.c.key.in_(keys)))
    return {r.key: {a for a in (r.alerts or "").split(",") if a} for r in rows}
