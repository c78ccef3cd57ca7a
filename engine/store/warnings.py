"""Early warning (预警) at intake, repeat visits on an open matter, the leader of a key case (领导包案).

Reads and writes of ``engine.cases.warning``; the dashboard's list of early-warning cases.
"""

from datetime import datetime

from sqlalchemy import Connection, func, or_, select, update

from engine.store.tables import cases, events, users

_ROW = (cases.c.id, cases.c.case_number, cases.c.status, cases.c.community, cases.c.dispute_type,
        cases.c.people_count, cases.c.risk_level, cases.c.repeat_petitioner, cases.c.over_level,
        cases.c.visit_count, cases.c.leader, cases.c.created_at)


def case_row(conn: Connection, case_id: int):
    """The columns an early warning looks at."""
    return conn.execute(select(*_ROW).where(cases.c.id == case_id)).first()


def warned_reason_sets(conn: Connection, case_id: int) -> set[tuple[str, ...]]:
    """The reason sets the case was warned about already (its ``early_warning`` events)."""
    rows = conn.execute(select(events.c.data).where(events.c.case_id == case_id, events.c.kind == "early_warning"))
    return {tuple(sorted((d or {}).get("reasons") or [])) for (d,) in rows}


def add_visit(conn: Connection, case_id: int, at: datetime) -> int:
    """One more visit about the matter; the new visit count (the row is locked until commit)."""
    return conn.execute(update(cases).where(cases.c.id == case_id)
                        .values(visit_count=cases.c.visit_count + 1, updated_at=at)
                        .returning(cases.c.visit_count)).scalar_one()


def set_leader(conn: Connection, case_id: int, leader: str) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(leader=leader))


def leader_of(conn: Connection, case_id: int) -> str | None:
    return conn.execute(select(cases.c.leader).where(cases.c.id == case_id)).scalar_one_or_none()


def _warning_condition(repeat_visits: int):
    return or_(cases.c.people_count >= 5, cases.c.risk_level == "red", cases.c.repeat_petitioner.is_(True),
               cases.c.over_level.is_(True), cases.c.visit_count >= repeat_visits)


def _scoped(q, communities: list[str] | None):
    return q if communities is None else q.where(cases.c.community.in_(communities or ["-"]))


def open_warnings(conn: Connection, communities: list[str] | None, repeat_visits: int, limit: int) -> list:
    """Open cases with a reason for an early warning, newest first."""
    q = select(*_ROW).where(cases.c.status == "active", _warning_condition(repeat_visits))
    return list(conn.execute(_scoped(q, communities).order_by(cases.c.created_at.desc(), cases.c.id.desc())
                             .limit(limit)))


def warning_counts(conn: Connection, communities: list[str] | None, repeat_visits: int) -> tuple[int, int]:
    """(open early-warning cases, open 越级 cases) in the communities."""
    n_warn = func.count().filter(_warning_condition(repeat_visits))
    n_over = func.count().filter(cases.c.over_level.is_(True))
    q = select(n_warn, n_over).select_from(cases).where(cases.c.status == "active")
    row = conn.execute(_scoped(q, communities)).first()
    return int(row[0] or 0), int(row[1] or 0)


def is_active_leader(conn: Connection, username: str) -> bool:
    return conn.execute(select(users.c.id).where(users.c.username == username, users.c.role == "leader",
                                                 users.c.active.is_(True))).first() is not None
