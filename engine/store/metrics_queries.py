"""Queries behind the gauges of /metrics, run at scrape time."""

from datetime import datetime

from sqlalchemy import Connection, Integer, case, func, select

from engine.store.tables import tasks
from engine.store.tasks import OPEN


def open_tasks_by_group(conn: Connection, now: datetime) -> list[tuple[str | None, int, int]]:
    """(candidate group, open tasks, of which overdue) per group, in one GROUP BY.

    Open = ready or claimed; overdue = open with a due time before ``now``. Served by the
    partial index on open tasks by group.
    """
    overdue = func.sum(case((tasks.c.due_at < now, 1), else_=0)).cast(Integer)
    rows = conn.execute(
        select(tasks.c.candidate_group, func.count(), func.coalesce(overdue, 0))
        .where(tasks.c.status.in_(OPEN))
        .group_by(tasks.c.candidate_group)
        .order_by(tasks.c.candidate_group)
    )
    return [(g, int(n), int(o)) for g, n, o in rows]
