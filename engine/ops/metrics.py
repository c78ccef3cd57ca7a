"""Figures for the operations metrics, read at scrape time."""

from datetime import datetime

from sqlalchemy import Connection

from engine.core import clock
from engine.store import metrics_queries


def open_tasks_by_group(conn: Connection, now: datetime | None = None) -> list[tuple[str | None, int, int]]:
    """(candidate group, open tasks, of which overdue at ``now``) per group; open = ready or claimed."""
    return metrics_queries.open_tasks_by_group(conn, now or clock.now())
