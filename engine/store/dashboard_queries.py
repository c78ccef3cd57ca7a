"""The SLA dashboard's figures, each one GROUP BY statement over open tasks, cases or breaches.

``now`` always comes from the caller (Python's clock, which tests may move), never SQL ``now()``.
Overdue: an open task past its due time; at risk: an open task due within ``soon`` (now < due ≤ soon).
Days are Asia/Shanghai dates (UTC+8 all year, no daylight saving).
"""

from datetime import datetime

from sqlalchemy import Connection, and_, case, func, literal_column, or_, select

from engine.store.tables import cases, tasks
from engine.store.tasks import OPEN_SQL


def _scoped(q, communities: list[str] | None):
    return q if communities is None else q.where(cases.c.community.in_(communities or ["-"]))


def _day(conn: Connection, column):
    if conn.dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Shanghai", column))
    return func.date(column, "+8 hours")  # SQLite keeps UTC text


def _late(now: datetime):
    return func.sum(case((tasks.c.due_at < now, 1), else_=0))


def _at_risk(now: datetime, soon: datetime):
    return func.sum(case((and_(tasks.c.due_at >= now, tasks.c.due_at <= soon), 1), else_=0))


def _open_tasks(*columns):
    return select(*columns).select_from(tasks.join(cases, cases.c.id == tasks.c.case_id)).where(OPEN_SQL)


def open_by_stage(conn: Connection, communities: list[str] | None) -> list:
    """(process_key, element_id, name, count) of open workflow tasks, largest first."""
    n = func.count().label("count")
    q = _open_tasks(tasks.c.process_key, tasks.c.element_id, tasks.c.name, n).where(tasks.c.kind == "bpmn")
    q = q.group_by(tasks.c.process_key, tasks.c.element_id, tasks.c.name)
    return list(conn.execute(_scoped(q, communities).order_by(n.desc(), tasks.c.process_key, tasks.c.element_id)))


def by_column(conn: Connection, column, communities: list[str] | None, now: datetime, soon: datetime) -> list:
    """(key, open, overdue, at_risk) of open tasks grouped by ``column`` (a task's group, a case's community)."""
    q = _open_tasks(column.label("key"), func.count().label("open"), _late(now).label("overdue"),
                    _at_risk(now, soon).label("at_risk")).group_by(column)
    return list(conn.execute(_scoped(q, communities).order_by(column)))


def by_group(conn: Connection, communities, now, soon) -> list:
    return by_column(conn, tasks.c.candidate_group, communities, now, soon)


def by_community(conn: Connection, communities, now, soon) -> list:
    return by_column(conn, cases.c.community, communities, now, soon)


def trend(conn: Connection, communities: list[str] | None, since: datetime, now: datetime) -> dict[str, dict]:
    """{Shanghai date 'YYYY-MM-DD': {"opened", "closed", "breached"}} from ``since`` up to ``now``.

    breached: tasks whose due time fell that day and passed before they were done (or are still open).
    """
    out: dict[str, dict] = {}

    def count(kind: str, q, day):
        for d, n in conn.execute(_scoped(q.add_columns(day.label("day"), func.count()).group_by(day), communities)):
            out.setdefault(str(d), {})[kind] = n

    count("opened", select().select_from(cases).where(cases.c.created_at >= since, cases.c.created_at <= now),
          _day(conn, cases.c.created_at))
    count("closed", select().select_from(cases).where(cases.c.completed_at >= since, cases.c.completed_at <= now),
          _day(conn, cases.c.completed_at))
    late = or_(and_(OPEN_SQL), and_(tasks.c.status == literal_column("'completed'"), tasks.c.completed_at > tasks.c.due_at))
    count("breached", select().select_from(tasks.join(cases, cases.c.id == tasks.c.case_id))
          .where(tasks.c.due_at >= since, tasks.c.due_at < now, late), _day(conn, tasks.c.due_at))
    return out


def breaches(conn: Connection, communities: list[str] | None, now: datetime, limit: int = 50) -> list:
    """Open tasks past due, most overdue first."""
    q = _open_tasks(tasks.c.id, tasks.c.case_id, cases.c.case_number, tasks.c.name, tasks.c.candidate_group,
                    cases.c.community, tasks.c.due_at).where(tasks.c.due_at < now)
    return list(conn.execute(_scoped(q, communities).order_by(tasks.c.due_at, tasks.c.id).limit(limit)))
