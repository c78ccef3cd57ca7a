"""SLA rules' administration: a rule's history rows and the open deadlines a rule change may move."""

from sqlalchemy import Connection, func, select

from engine.store.sla_rule_tables import sla_rule_versions
from engine.store.tables import cases, deadlines, sla_rules


def rule(conn: Connection, key: str):
    return conn.execute(select(sla_rules).where(sla_rules.c.key == key)).first()


def add_version(conn: Connection, values: dict) -> None:
    conn.execute(sla_rule_versions.insert().values(**values))


def versions(conn: Connection, key: str) -> list:
    """The rule's history, newest first."""
    return list(conn.execute(select(sla_rule_versions).where(sla_rule_versions.c.rule_key == key)
                             .order_by(sla_rule_versions.c.id.desc())))


def open_deadlines(conn: Connection, key: str) -> list:
    """The rule's open deadline rows (not timers, not closed), with their case's 案号, oldest first."""
    return list(conn.execute(
        select(deadlines, cases.c.case_number).join(cases, cases.c.id == deadlines.c.case_id)
        .where(deadlines.c.rule_key == key, deadlines.c.kind != "timer", deadlines.c.closed_at.is_(None))
        .order_by(deadlines.c.due_at, deadlines.c.id)))


def open_counts(conn: Connection) -> dict[str, int]:
    """Open deadlines (not timers) by rule key, one query."""
    rows = conn.execute(select(deadlines.c.rule_key, func.count()).where(
        deadlines.c.rule_key.is_not(None), deadlines.c.kind != "timer", deadlines.c.closed_at.is_(None))
        .group_by(deadlines.c.rule_key))
    return {k: n for k, n in rows}
