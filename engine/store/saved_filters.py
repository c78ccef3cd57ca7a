"""Saved filters: a user's named query strings of the queue and the case search (one row each)."""

from datetime import datetime

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import saved_filters

_COLUMNS = (saved_filters.c.id, saved_filters.c.page, saved_filters.c.name, saved_filters.c.query,
            saved_filters.c.created_at)


def for_user(conn: Connection, username: str, page: str) -> list:
    """The user's filters of ``page``, by name (then id)."""
    return list(conn.execute(select(*_COLUMNS)
                             .where(saved_filters.c.username == username, saved_filters.c.page == page)
                             .order_by(saved_filters.c.name, saved_filters.c.id)))


def count(conn: Connection, username: str, page: str) -> int:
    return conn.execute(select(func.count()).select_from(saved_filters)
                        .where(saved_filters.c.username == username, saved_filters.c.page == page)).scalar_one()


def insert(conn: Connection, username: str, page: str, name: str, query: str, at: datetime):
    """The new row, or None when the user already has a filter of that name on ``page``."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(saved_filters)
    stmt = (ins.values(username=username, page=page, name=name, query=query, created_at=at)
            .on_conflict_do_nothing(index_elements=["username", "page", "name"]).returning(*_COLUMNS))
    return conn.execute(stmt).first()


def remove(conn: Connection, username: str, filter_id: int) -> bool:
    """Delete the user's filter ``filter_id``; False when the user has no such filter."""
    gone = conn.execute(delete(saved_filters)
                        .where(saved_filters.c.id == filter_id, saved_filters.c.username == username))
    return gone.rowcount > 0
