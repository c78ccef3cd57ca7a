"""Escalation rows in batches: lock many deadlines with their cases, change them in one statement.

Used by engine/escalation_batch.py; the statements per batch do not grow with its size.
"""

from datetime import datetime

from sqlalchemy import Connection, case, select, update

from engine.store.escalations import CONTEXT_COLUMNS
from engine.store.tables import cases, deadlines, sla_rules, tasks


def lock_many(conn: Connection, ids: list[int], statuses: tuple[str, ...]) -> list:
    """The rows of ``ids`` still in one of ``statuses``, open, not timers, of an active unpaused case;
    with the fields of their case and task, locked, by id.

    PostgreSQL: the cases are locked first, in id order (the order engine steps and other batches
    use, so no deadlock), then the deadline rows. SQLite: BEGIN IMMEDIATE already serializes writers.
    """
    if not ids:
        return []
    q = (CONTEXT_COLUMNS
         .where(deadlines.c.id.in_(ids), deadlines.c.kind != "timer", deadlines.c.status.in_(statuses),
                deadlines.c.closed_at.is_(None), cases.c.status == "active", cases.c.paused_at.is_(None))
         .order_by(deadlines.c.id))
    if conn.dialect.name == "postgresql":
        case_ids = select(deadlines.c.case_id).where(deadlines.c.id.in_(ids)).scalar_subquery()
        conn.execute(select(cases.c.id).where(cases.c.id.in_(case_ids)).order_by(cases.c.id).with_for_update())
        q = q.with_for_update(of=deadlines)
    return list(conn.execute(q))


def escalate_after_hours(conn: Connection, rule_keys: set[str]) -> dict[str, int]:
    """escalate_after_hours of each of ``rule_keys`` that has a value (one query)."""
    keys = sorted(k for k in rule_keys if k is not None)
    if not keys:
        return {}
    rows = conn.execute(select(sla_rules.c.key, sla_rules.c.escalate_after_hours).where(sla_rules.c.key.in_(keys)))
    return {r.key: r.escalate_after_hours for r in rows if r.escalate_after_hours}


def set_states(conn: Connection, ids: list[int], expected: tuple[str, ...], values: dict) -> set[int]:
    """Change the rows of ``ids`` still in one of ``expected``; the ids changed."""
    if not ids:
        return set()
    return set(conn.execute(update(deadlines)
                            .where(deadlines.c.id.in_(ids), deadlines.c.status.in_(expected))
                            .values(**values).returning(deadlines.c.id)).scalars())


def by_rule(rule_key_values: dict[str, datetime], default: datetime):
    """A per-row value chosen by the row's rule key (``default`` for other keys and none)."""
    if not rule_key_values:
        return default
    return case(rule_key_values, value=deadlines.c.rule_key, else_=default)


def insert_tasks(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(tasks.insert(), [{"kind": "escalation", **r} for r in rows])
