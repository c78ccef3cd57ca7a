"""A case's dates the law counts from (收到/来访日期, 受理日期, 申请日期 …): ``case_dates`` rows, and the
case clocks that run from them."""

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import case_dates, case_pauses, cases, deadlines

OPEN = ("pending", "warned", "fired", "paused")


DATES = select(case_dates.c.name, case_dates.c.day).where(case_dates.c.case_id == bindparam("case_id"))


def for_case(conn: Connection, case_id: int) -> dict[str, date]:
    """{name: day} of the case."""
    return dates_of(conn.execute(DATES, {"case_id": case_id}))


def dates_of(rows) -> dict[str, date]:
    """{name: day} of rows of ``DATES``."""
    return {r.name: r.day for r in rows}


def put(conn: Connection, case_id: int, days: dict[str, date], actor: str | None, at: datetime,
        new_case: bool = False) -> None:
    """Set (insert or replace) the named dates; ``received_on`` is also the case row's column (``new_case``:
    the case was just inserted with it, the dates are new)."""
    if not days:
        return
    if new_case:
        conn.execute(case_dates.insert(), [{"case_id": case_id, "name": k, "day": v, "set_by": actor, "set_at": at}
                                           for k, v in days.items()])
        return
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(case_dates)
    for name, day in days.items():
        conn.execute(ins.values(case_id=case_id, name=name, day=day, set_by=actor, set_at=at).on_conflict_do_update(
            index_elements=["case_id", "name"], set_={"day": day, "set_by": actor, "set_at": at}))
    if "received_on" in days:
        conn.execute(update(cases).where(cases.c.id == case_id).values(received_on=days["received_on"]))


def put_changed(conn: Connection, case_id: int, days: dict[str, date], actor: str | None, at: datetime) -> set[str]:
    """Set the named dates in one statement, writing only those that differ; the names written.
    (The step writes ``received_on`` on the case row itself.)"""
    if not days:
        return set()
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(case_dates)
    stmt = ins.values([{"case_id": case_id, "name": k, "day": v, "set_by": actor, "set_at": at}
                       for k, v in days.items()])
    stmt = stmt.on_conflict_do_update(index_elements=["case_id", "name"],
                                      set_={"day": stmt.excluded.day, "set_by": stmt.excluded.set_by,
                                            "set_at": stmt.excluded.set_at},
                                      where=case_dates.c.day != stmt.excluded.day).returning(case_dates.c.name)
    return set(conn.execute(stmt).scalars())


def open_clocks(conn: Connection, case_id: int) -> list:
    """The case's open (not closed) rule deadlines, task and case scope, by id."""
    return list(conn.execute(select(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.kind != "timer",
                                                     deadlines.c.closed_at.is_(None)).order_by(deadlines.c.id)))


def _close_open_clocks(conn: Connection, case_id: int, column, values: list[str], at: datetime) -> int:
    """The case's open case clocks whose ``column`` is one of ``values``: met, or their breach stays recorded (fired)."""
    if not values:
        return 0
    rows = list(conn.execute(select(deadlines.c.id, deadlines.c.status).where(
        deadlines.c.case_id == case_id, deadlines.c.scope == "case", deadlines.c.closed_at.is_(None),
        column.in_(values))))
    for r in rows:
        conn.execute(update(deadlines).where(deadlines.c.id == r.id).values(
            status="fired" if r.status == "fired" else "met", closed_at=at, updated_at=at,
            paused_from=None, paused_at=None))
    return len(rows)


def close_case_clocks(conn: Connection, case_id: int, process_keys: list[str], at: datetime) -> int:
    """The case clocks of ended processes: met, or their breach stays recorded (fired)."""
    return _close_open_clocks(conn, case_id, deadlines.c.process_key, process_keys, at)


def close_rule_clocks(conn: Connection, case_id: int, rule_keys: list[str], at: datetime) -> int:
    """The case's open case clocks of rules ``rule_keys`` (their closing element completed): met, or fired."""
    return _close_open_clocks(conn, case_id, deadlines.c.rule_key, rule_keys, at)


def move(conn: Connection, deadline_id: int, values: dict) -> None:
    conn.execute(update(deadlines).where(deadlines.c.id == deadline_id).values(**values))


def open_pause(conn: Connection, case_id: int):
    """The case's pause without an end, or None."""
    return conn.execute(select(case_pauses).where(case_pauses.c.case_id == case_id, case_pauses.c.ended_at.is_(None))
                        .order_by(case_pauses.c.id.desc())).first()


def insert_pause(conn: Connection, values: dict) -> int:
    return conn.execute(case_pauses.insert().values(**values)).inserted_primary_key[0]


def end_pause(conn: Connection, case_id: int, actor: str | None, at: datetime):
    """Close the case's open pause; the row as it was (None when there was none)."""
    row = open_pause(conn, case_id)
    if row is not None:
        conn.execute(update(case_pauses).where(case_pauses.c.id == row.id).values(ended_at=at, ended_by=actor))
    return row


def pauses(conn: Connection, case_id: int) -> list:
    return list(conn.execute(select(case_pauses).where(case_pauses.c.case_id == case_id).order_by(case_pauses.c.id)))

