"""Statistics of the period reports: GROUP BY queries in the database, never a load of every case.

A case counts in the period its 受理日期 (``accepted_on``) falls in: ``start`` and ``end`` are both counted."""

from datetime import date

from sqlalchemy import Connection, Integer, and_, case, cast, distinct, extract, func, select

from engine.store.tables import case_pauses, cases, deadline_extensions, deadlines

CLOCK_KINDS = ("statutory", "sla")  # the limits a case is judged on time against (not BPMN timers)


def _period(start: date, end: date):
    return cases.c.accepted_on.between(start, end)


def _month(conn: Connection, start: date, end: date):
    """Month number (1–12) in a period within one year; year*100+month when the period spans years."""
    if conn.dialect.name == "sqlite":
        month = cast(func.strftime("%m", cases.c.accepted_on), Integer)
        year = cast(func.strftime("%Y", cases.c.accepted_on), Integer)
    else:
        month = cast(extract("month", cases.c.accepted_on), Integer)
        year = cast(extract("year", cases.c.accepted_on), Integer)
    return month if start.year == end.year else year * 100 + month


def outcome_groups(conn: Connection, start: date, end: date) -> list[dict]:
    """Per (handling body, outcome, guidance target): cases, closed cases, amounts, people, difficult, letters."""
    q = (select(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to,
                func.count().label("cases"), func.count(cases.c.closed_on).label("closed"),
                func.coalesce(func.sum(cases.c.amount), 0).label("amount"),
                func.coalesce(func.sum(cases.c.people_count), 0).label("people"),
                func.coalesce(func.sum(cases.c.recovered_amount), 0).label("recovered"),
                func.sum(case((cases.c.difficult.is_(True), 1), else_=0)).label("difficult"),
                func.count(cases.c.guidance_letter_no).label("letters"))
         .where(_period(start, end), cases.c.handling_body.is_not(None))
         .group_by(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to))
    return [dict(r._mapping) for r in conn.execute(q)]


def breakdown(conn: Connection, start: date, end: date, body: str, outcomes: tuple[str, ...], by: str) -> dict:
    """Counts of a body's cases with these outcomes, by dispute_type | channel | community | month."""
    key = _month(conn, start, end) if by == "month" else cases.c[by]
    q = (select(key.label("k"), func.count().label("n")).where(_period(start, end), cases.c.handling_body == body,
                                                              cases.c.outcome.in_(outcomes))
         .group_by(key).order_by(func.count().desc(), key))
    return {r.k: r.n for r in conn.execute(q)}


def distinct_letters(conn: Connection, start: date, end: date, outcomes: tuple[str, ...]) -> int:
    """Distinct 引导函编号 of the period's guided cases, whichever body issued the letter."""
    q = select(func.count(distinct(cases.c.guidance_letter_no))).where(  # lettered ones: an index range
        _period(start, end), cases.c.guidance_letter_no.is_not(None), cases.c.handling_body.is_not(None),
        cases.c.outcome.in_(outcomes))
    return conn.execute(q).scalar_one()


def _late():
    return (deadlines.c.status == "fired") | ((deadlines.c.status == "met") & (deadlines.c.closed_at > deadlines.c.due_at))


def conclusion_groups(conn: Connection, start: date, end: date) -> list[dict]:
    """Per (body, outcome, closed?, has a clock?, any clock late?): cases.

    A clock is a statutory or SLA deadline of the case that was not cancelled; its ``due_at`` already includes
    approved extensions. A clock is late when it fired or was met after its due time."""
    clocks = (select(deadlines.c.case_id, func.count().label("clocks"),
                     func.sum(case((_late(), 1), else_=0)).label("late"))
              .where(deadlines.c.kind.in_(CLOCK_KINDS), deadlines.c.status != "cancelled")
              .group_by(deadlines.c.case_id).subquery())
    per_case = (select(cases.c.handling_body, cases.c.outcome,
                       case((cases.c.closed_on.is_not(None), 1), else_=0).label("closed"),
                       case((func.coalesce(clocks.c.clocks, 0) > 0, 1), else_=0).label("clocked"),
                       case((func.coalesce(clocks.c.late, 0) > 0, 1), else_=0).label("late"))
                .select_from(cases.outerjoin(clocks, clocks.c.case_id == cases.c.id))
                .where(_period(start, end), cases.c.handling_body.is_not(None)).subquery())
    q = (select(per_case.c.handling_body, per_case.c.outcome, per_case.c.closed, per_case.c.clocked, per_case.c.late,
                func.count().label("cases"))
         .group_by(per_case.c.handling_body, per_case.c.outcome, per_case.c.closed, per_case.c.clocked,
                   per_case.c.late))
    return [{**dict(r._mapping), "closed": bool(r.closed), "clocked": bool(r.clocked), "late": bool(r.late)}
            for r in conn.execute(q)]


def _by_body_and_kind(conn: Connection, kind, case_id, base, start: date, end: date) -> dict:
    where = and_(_period(start, end), cases.c.handling_body.is_not(None))
    q = (select(cases.c.handling_body, kind, func.count(distinct(case_id)).label("n")).select_from(base)
         .where(where).group_by(cases.c.handling_body, kind))
    out: dict = {(r[0], r[1]): r.n for r in conn.execute(q)}
    q = (select(cases.c.handling_body, func.count(distinct(case_id)).label("n")).select_from(base).where(where)
         .group_by(cases.c.handling_body))
    out.update({(r[0], None): r.n for r in conn.execute(q)})
    return out


def extension_counts(conn: Connection, start: date, end: date) -> dict:
    """Cases with an approved extension of one of their deadlines: {(body, kind): n}, kind None = any kind."""
    base = (deadline_extensions.join(deadlines, deadlines.c.id == deadline_extensions.c.deadline_id)
            .join(cases, cases.c.id == deadlines.c.case_id))
    return _by_body_and_kind(conn, deadline_extensions.c.kind, deadlines.c.case_id, base, start, end)


def pause_counts(conn: Connection, start: date, end: date) -> dict:
    """Cases whose clocks were paused (鉴定, 听证, 等待当事人 …): {(body, kind): n}, kind None = any kind."""
    base = case_pauses.join(cases, cases.c.id == case_pauses.c.case_id)
    return _by_body_and_kind(conn, case_pauses.c.kind, case_pauses.c.case_id, base, start, end)


def visit_counts(conn: Connection, start: date, end: date, body: str) -> dict:
    """Of ``body``'s cases in the period: 越级 (over the level) cases, cases visited more than once, extra visits."""
    q = (select(func.sum(case((cases.c.over_level.is_(True), 1), else_=0)).label("over_level"),
                func.sum(case((cases.c.visit_count > 1, 1), else_=0)).label("repeat_visited"),
                func.sum(cases.c.visit_count - 1).label("repeat_visits"))
         .where(_period(start, end), cases.c.handling_body == body))
    r = conn.execute(q).one()
    return {"over_level": int(r.over_level or 0), "repeat_visited": int(r.repeat_visited or 0),
            "repeat_visits": int(r.repeat_visits or 0)}


def sla_groups(conn: Connection, start: date, end: date) -> list[dict]:
    """Deadlines of the period's cases by name: how many, met in time, breached (fired or closed late)."""
    q = (select(deadlines.c.name, func.count().label("deadlines"),
                func.sum(case(((deadlines.c.status == "met") & (deadlines.c.closed_at <= deadlines.c.due_at), 1),
                              else_=0)).label("met"),
                func.sum(case((_late(), 1), else_=0)).label("breached"))
         .select_from(deadlines.join(cases, cases.c.id == deadlines.c.case_id))
         .where(_period(start, end), deadlines.c.kind != "timer").group_by(deadlines.c.name).order_by(deadlines.c.name))
    return [dict(r._mapping) for r in conn.execute(q)]
