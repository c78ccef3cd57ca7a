"""The period report's statistics in few passes over the cases (PostgreSQL): the same figures as the one-question
statements of ``report_queries`` (which SQLite runs, and which the tests compare these with), read in two scans
of the period's cases instead of eight.

- ``outcome_pass``: per (handling body, outcome, guidance target) the outcome groups' sums, with each group's
  cases split by closed / clock on time / clock late (a hash join to the clocks pre-aggregated per case) and the
  visit counts: it answers ``outcome_groups``, ``conclusion_groups`` and ``visit_counts`` at once.
- ``breakdown_pass``: a body's cases with some outcomes counted by dispute type, channel, community and month in
  one scan (GROUPING SETS, each set hashed), for the four ``breakdown`` calls.
"""

from datetime import date

from sqlalchemy import Connection, case, func, select, tuple_

from engine.store import report_queries as q
from engine.store.tables import cases, deadlines

BREAKDOWNS = ("dispute_type", "channel", "community", "month")
# GROUPING(dispute_type, channel, community): a bit set for each column not in the row's set
_SET_OF = {0b011: "dispute_type", 0b101: "channel", 0b110: "community", 0b111: "month"}
_ON_TIME, _LATE = 1, 2  # a case's clocks: all on time, or one of them late


def settle(conn: Connection) -> None:
    """Settings for the rest of the report's transaction (PostgreSQL): no JIT (it compiled ~100 ms of code per
    pass over 1M cases for statements that run once: ~0.15 s of a 1.7 s report) and room for the clocks' hash
    (200 000 cases with a clock spilled to disk in two batches with the default 4 MB)."""
    conn.exec_driver_sql("SET LOCAL jit = off")
    conn.exec_driver_sql("SET LOCAL work_mem = '32MB'")


def _clocks():
    """Per case with a clock (statutory or SLA deadline, not cancelled): 2 if any is late, else 1."""
    return (select(deadlines.c.case_id, func.max(case((q._late(), _LATE), else_=_ON_TIME)).label("clock"))
            .where(deadlines.c.kind.in_(q.CLOCK_KINDS), deadlines.c.status != "cancelled")
            .group_by(deadlines.c.case_id).subquery())


def outcome_pass(conn: Connection, start: date, end: date) -> tuple[list[dict], list[dict], dict]:
    """(outcome groups, conclusion groups, {body: visit counts}) as ``report_queries`` gives them."""
    k = _clocks()
    closed = cases.c.closed_on.is_not(None)
    stmt = (select(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to,
                   func.count().label("cases"), func.count(cases.c.closed_on).label("closed"),
                   func.coalesce(func.sum(cases.c.amount), 0).label("amount"),
                   func.coalesce(func.sum(cases.c.people_count), 0).label("people"),
                   func.coalesce(func.sum(cases.c.recovered_amount), 0).label("recovered"),
                   func.sum(case((cases.c.difficult.is_(True), 1), else_=0)).label("difficult"),
                   func.count(cases.c.guidance_letter_no).label("letters"),
                   func.sum(case((cases.c.over_level.is_(True), 1), else_=0)).label("over_level"),
                   func.sum(case((cases.c.visit_count > 1, 1), else_=0)).label("repeat_visited"),
                   func.sum(cases.c.visit_count - 1).label("repeat_visits"),
                   func.count().filter(closed & (k.c.clock == _ON_TIME)).label("closed_on_time"),
                   func.count().filter(closed & (k.c.clock == _LATE)).label("closed_late"),
                   func.count().filter(~closed & (k.c.clock == _ON_TIME)).label("open_on_time"),
                   func.count().filter(~closed & (k.c.clock == _LATE)).label("open_late"))
            .select_from(cases.outerjoin(k, k.c.case_id == cases.c.id))
            .where(q._period(start, end), cases.c.handling_body.is_not(None))
            .group_by(cases.c.handling_body, cases.c.outcome, cases.c.guidance_to))
    rows = list(conn.execute(stmt))
    groups = [{key: getattr(r, key) for key in ("handling_body", "outcome", "guidance_to", "cases", "closed", "amount",
                                                "people", "recovered", "difficult", "letters")} for r in rows]
    return groups, _conclusion(rows), _visits(rows)


def _conclusion(rows) -> list[dict]:
    """Per (body, outcome, closed?, clocked?, late?): cases (the groups with none left out)."""
    out: dict[tuple, int] = {}
    for r in rows:
        open_cases = r.cases - r.closed
        for closed, clocked, late, n in (
                (True, True, False, r.closed_on_time), (True, True, True, r.closed_late),
                (True, False, False, r.closed - r.closed_on_time - r.closed_late),
                (False, True, False, r.open_on_time), (False, True, True, r.open_late),
                (False, False, False, open_cases - r.open_on_time - r.open_late)):
            key = (r.handling_body, r.outcome, closed, clocked, late)
            out[key] = out.get(key, 0) + n
    return [{"handling_body": b, "outcome": o, "closed": cl, "clocked": ck, "late": lt, "cases": n}
            for (b, o, cl, ck, lt), n in out.items() if n]


def _visits(rows) -> dict:
    out: dict[str, dict] = {}
    for r in rows:
        v = out.setdefault(r.handling_body, {"over_level": 0, "repeat_visited": 0, "repeat_visits": 0})
        v["over_level"] += int(r.over_level or 0)
        v["repeat_visited"] += int(r.repeat_visited or 0)
        v["repeat_visits"] += int(r.repeat_visits or 0)
    return out


def breakdown_pass(conn: Connection, start: date, end: date, body: str, outcomes: tuple[str, ...]) -> dict:
    """{by: {key: count}} for each of ``BREAKDOWNS``, each in the order of ``report_queries.breakdown`` (most first,
    then by key)."""
    month = q._month(conn, start, end).label("month")
    plain = (cases.c.dispute_type, cases.c.channel, cases.c.community)
    stmt = (select(*plain, month, func.grouping(*plain).label("grouping"), func.count().label("n"))
            .where(q._period(start, end), cases.c.handling_body == body, cases.c.outcome.in_(outcomes))
            .group_by(func.grouping_sets(*(tuple_(c) for c in plain), tuple_(month))))
    found: dict[str, list] = {by: [] for by in BREAKDOWNS}
    for r in conn.execute(stmt):
        by = _SET_OF[r.grouping]
        found[by].append((getattr(r, by), r.n))
    # the SQL's ORDER BY count DESC, key (NULL last)
    return {by: dict(sorted(pairs, key=lambda kn: (-kn[1], kn[0] is None, kn[0] if kn[0] is not None else 0)))
            for by, pairs in found.items()}
