"""The official calendar: rest days and 调休 working days (``calendar_days``), confirmed years (``calendar_years``)."""

from datetime import date, datetime

from sqlalchemy import Connection, and_, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import calendar_days, calendar_years, deadlines


def all_days(conn: Connection) -> list:
    return list(conn.execute(select(calendar_days.c.day, calendar_days.c.kind)))


def years(conn: Connection) -> list:
    return list(conn.execute(select(calendar_years).order_by(calendar_years.c.year)))


def year_row(conn: Connection, year: int):
    return conn.execute(select(calendar_years).where(calendar_years.c.year == year)).first()


def days_of_year(conn: Connection, year: int) -> list:
    return list(
        conn.execute(
            select(calendar_days)
            .where(calendar_days.c.day >= date(year, 1, 1), calendar_days.c.day <= date(year, 12, 31))
            .order_by(calendar_days.c.day)
        )
    )


def years_with_days(conn: Connection) -> set[int]:
    """The years that have at least one day row (portable: the days are few)."""
    return {d.year for (d,) in conn.execute(select(calendar_days.c.day))}


def _insert(conn: Connection):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)


def add_missing_days(conn: Connection, rows: list[dict]) -> None:
    """Insert the day rows whose day is not there yet (a concurrent seed inserts nothing twice)."""
    if rows:
        conn.execute(_insert(conn)(calendar_days).on_conflict_do_nothing(index_elements=["day"]), rows)


def add_missing_years(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(_insert(conn)(calendar_years).on_conflict_do_nothing(index_elements=["year"]), rows)


def replace_year(conn: Connection, year: int, rows: list[dict], source: str | None, actor: str,
                 at: datetime) -> None:
    """The year's days become ``rows`` and the year is confirmed (its ``calendar_years`` row upserted)."""
    conn.execute(delete(calendar_days).where(calendar_days.c.day >= date(year, 1, 1),
                                             calendar_days.c.day <= date(year, 12, 31)))
    if rows:
        conn.execute(calendar_days.insert(), rows)
    values = {"year": year, "source": source, "entered_by": actor, "entered_at": at}
    conn.execute(_insert(conn)(calendar_years).values(**values).on_conflict_do_update(
        index_elements=["year"], set_={k: v for k, v in values.items() if k != "year"}))


def set_day(conn: Connection, day: date, kind: str | None, name: str | None, source: str | None, actor: str,
            at: datetime) -> None:
    """Set one day (``kind`` None: the day follows Monday–Friday again, its row is removed)."""
    conn.execute(delete(calendar_days).where(calendar_days.c.day == day))
    if kind is not None:
        conn.execute(calendar_days.insert().values(day=day, kind=kind, name=name, source=source, updated_by=actor,
                                                   updated_at=at))


def open_deadlines_touching(conn: Connection, start: datetime, end: datetime) -> list:
    """Open, non-timer deadline rows whose count span [starts_at, due_at] meets [start, end), or that are
    provisional (``calendar_confirmed`` false), locked for update on PostgreSQL."""
    q = (
        select(deadlines)
        .where(
            deadlines.c.status.in_(("pending", "warned", "fired")),
            deadlines.c.kind != "timer",
            deadlines.c.closed_at.is_(None),
            or_(and_(deadlines.c.starts_at < end, deadlines.c.due_at >= start),
                deadlines.c.calendar_confirmed.is_(False)),
        )
        .order_by(deadlines.c.case_id, deadlines.c.id)
    )
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(of=deadlines)
    return list(conn.execute(q))


def unconfirmed_tasks(conn: Connection, task_ids: list[str]) -> set[str]:
    """Of ``task_ids``, those with an open deadline counted over a year not confirmed."""
    if not task_ids:
        return set()
    rows = conn.execute(
        select(deadlines.c.task_id).where(
            deadlines.c.task_id.in_(task_ids), deadlines.c.calendar_confirmed.is_(False),
            deadlines.c.closed_at.is_(None), deadlines.c.kind != "timer")
    )
    return {r.task_id for r in rows}


def count_unconfirmed_open(conn: Connection) -> int:
    return conn.execute(
        select(func.count()).select_from(deadlines).where(
            deadlines.c.calendar_confirmed.is_(False), deadlines.c.closed_at.is_(None),
            deadlines.c.status.in_(("pending", "warned", "fired", "paused")))
    ).scalar_one()
