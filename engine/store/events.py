"""The append-only case event log, and incidents."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from engine.core.types import Event
from engine.store.tables import events


def append(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(events.insert(), rows)


# built once; also the case page's read of them (engine.store.case_queries.page)
FOR_CASE = select(events).where(events.c.case_id == bindparam("case_id")).order_by(events.c.id)


def for_case(conn: Connection, case_id: int) -> list[Event]:
    return events_of(conn.execute(FOR_CASE, {"case_id": case_id}))


def events_of(rows) -> list[Event]:
    """The events of rows of ``FOR_CASE``."""
    return [Event(id=r.id, case_id=r.case_id, at=r.at, actor=r.actor, kind=r.kind, task_id=r.task_id, data=r.data)
            for r in rows]


def record_incident(conn: Connection, case_id: int, element_id: str | None, message: str, now: datetime,
                    task_id: str | None = None, actor: str | None = None) -> int:
    """The incident's id; a repeated failure of the same step counts on its open incident
    (``engine.store.exceptions.record_incident``)."""
    from engine.store.exceptions import record_incident as record

    return record(conn, case_id, element_id, message, now, task_id, actor)
