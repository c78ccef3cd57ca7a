"""Statistics of the annual report: GROUP BY queries in the database, never a load of every case."""

from datetime import date

from sqlalchemy import Connection, Integer, case, cast, distinct, extract, func, select

from engine.store.tables import cases, deadlines


def _year(year: int):
    return cases.c.accepted_on.between(date(year, 1, 1), date(year, 12, 31))


def _month(conn: Connection):
    if conn.dialect.name == "sqlite":
        return cast(func.strftime("%m", cases.c.accepted_on), Integer)
    return cast(extract("month", cases.c.accepted_on), Integer)


def _days(conn: Connection):
    if conn.dialect.name == "sqlite":
        return cast(func.julianday(cases.c.closed_on) - func.julianday(cases.c.accepted_on), Integer)
    return cases.c.closed_on - cases.c.accepted_on


def outcome_groups(conn: Connection, year: int) -> list[dict]:
    """Per (handling body, outcome, guidance target): cases, closed cases, amounts, people, difficult, letters."""
    q = (select(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to,
                func.count().label("cases"), func.count(cases.c.closed_on).label("closed"),
                func.coalesce(func.sum(cases.c.amount), 0).label("amount"),
                func.coalesce(func.sum(cases.c.people_count), 0).label("people"),
                func.coalesce(func.sum(cases.c.recovered_amount), 0).label("recovered"),
                func.sum(case((cases.c.difficult.is_(True), 1), else_=0)).label("difficult"),
                func.count(cases.c.guidance_letter_no).label("letters"))
         .where(_year(year), cases.c.handling_body.is_not(None))
         .group_by(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to))
    return [dict(r._mapping) for r in conn.execute(q)]


def breakdown(conn: Connection, year: int, body: str, outcomes: tuple[str, ...], by: str) -> dict:
    """Counts of a body's cases with these outcomes, by dispute_type | channel | community | month."""
    key = _month(conn) if by == "month" else cases.c[by]
    q = (select(key.label("k"), func.count().label("n")).where(_year(year), cases.c.handling_body == body,
                                                              cases.c.outcome.in_(outcomes))
         .group_by(key).order_by(func.count().desc(), key))
    return {r.k: r.n for r in conn.execute(q)}


def distinct_letters(conn: Connection, year: int, body: str, outcomes: tuple[str, ...]) -> int:
    q = select(func.count(distinct(cases.c.guidance_letter_no))).where(
        _year(year), cases.c.handling_body == body, cases.c.outcome.in_(outcomes))
    return conn.execute(q).scalar_one()


def closing_days(conn: Connection, year: int, body: str, on_time: int, extended: int) -> dict:
    """Closed cases of a body: within `on_time` days, within `extended` days (after on_time), later."""
    days = _days(conn)
    q = select(func.sum(case((days <= on_time, 1), else_=0)).label("on_time"),
               func.sum(case(((days > on_time) & (days <= extended), 1), else_=0)).label("extended"),
               func.sum(case((days > extended, 1), else_=0)).label("late")).where(
        _year(year), cases.c.handling_body == body, cases.c.closed_on.is_not(None))
    r = conn.execute(q).one()
    return {"on_time": r.on_time or 0, "extended": r.extended or 0, "late": r.late or 0}


def sla_groups(conn: Connection, year: int) -> list[dict]:
    """Deadlines of the year's cases by name: how many, met in time, breached (fired or closed late)."""
    late = (deadlines.c.status == "fired") | ((deadlines.c.status == "met") & (deadlines.c.closed_at > deadlines.c.due_at))
    q = (select(deadlines.c.name, func.count().label("deadlines"),
                func.sum(case(((deadlines.c.status == "met") & (deadlines.c.closed_at <= deadlines.c.due_at), 1),
                              else_=0)).label("met"),
                func.sum(case((late, 1), else_=0)).label("breached"))
         .select_from(deadlines.join(cases, cases.c.id == deadlines.c.case_id))
         .where(_year(year), deadlines.c.kind != "timer").group_by(deadlines.c.name).order_by(deadlines.c.name))
    return [dict(r._mapping) for r in conn.execute(q)]
