"""Deadline rows and SLA rules: mirror, create, close, pause, extend, claim."""

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, bindparam, or_, select, text, update
from sqlalchemy import case as when
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import cases, deadline_extensions, deadlines, sla_rules

OPEN = ("pending", "warned")
TIMER_NAME = "流程定时器"


def active_rules(conn: Connection) -> list:
    return list(conn.execute(select(sla_rules).where(sla_rules.c.active.is_(True)).order_by(sla_rules.c.id)))


def all_rules(conn: Connection) -> list:
    return list(
        conn.execute(
            select(sla_rules).order_by(sla_rules.c.process_key, sla_rules.c.element_id, sla_rules.c.key)
        )
    )


def insert_rule(conn: Connection, values: dict) -> None:
    conn.execute(sla_rules.insert().values(**values))


def update_rule(conn: Connection, key: str, values: dict) -> bool:
    return conn.execute(update(sla_rules).where(sla_rules.c.key == key).values(**values)).rowcount == 1


def mirror_timer(conn: Connection, case_id: int, due: datetime | None, at: datetime) -> None:
    """Keep the case's one timer row equal to its next BPMN timer (generic path)."""
    if due is None:
        conn.execute(
            update(deadlines)
            .where(deadlines.c.case_id == case_id, deadlines.c.kind == "timer", deadlines.c.status.in_(OPEN))
            .values(status="cancelled", closed_at=at, updated_at=at)
        )
        return
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(deadlines)
    conn.execute(
        ins.values(
            case_id=case_id,
            kind="timer",
            name=TIMER_NAME,
            clock="natural",
            starts_at=at,
            due_at=due,
            status="pending",
            paused_seconds=0,
            escalation_level=0,
            attempts=0,
            created_at=at,
            updated_at=at,
        ).on_conflict_do_update(
            index_elements=["case_id"],
            index_where=text("kind = 'timer'"),
            set_={
                "due_at": due,
                "status": "pending",
                "claimed_until": None,
                "closed_at": None,
                "paused_from": None,
                "paused_at": None,
                "updated_at": at,
            },
        )
    )


def lock_timer(conn: Connection, deadline_id: int):
    """The timer row ``deadline_id`` with its case's status and pause (``case_status``, ``case_paused_at``),
    locked, or None (no such row, or not a timer).

    Locks the case row first, then the deadline: the order engine steps use (no deadlock).
    """
    q = (
        select(deadlines, cases.c.status.label("case_status"), cases.c.paused_at.label("case_paused_at"))
        .join(cases, cases.c.id == deadlines.c.case_id)
        .where(deadlines.c.id == deadline_id, deadlines.c.kind == "timer")
    )
    if conn.dialect.name != "postgresql":  # SQLite: BEGIN IMMEDIATE already serializes writers
        return conn.execute(q).first()
    case_id = conn.execute(select(deadlines.c.case_id).where(deadlines.c.id == deadline_id)).scalar()
    if case_id is None:
        return None
    conn.execute(select(cases.c.id).where(cases.c.id == case_id).with_for_update())
    return conn.execute(q.with_for_update(of=deadlines)).first()


def set_state(conn: Connection, deadline_id: int, expected_status: str, values: dict) -> bool:
    """Change the row only if it is still in ``expected_status`` (a lost race changes nothing)."""
    return (
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id == deadline_id, deadlines.c.status == expected_status)
            .values(**values)
        ).rowcount
        == 1
    )


def insert_many(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(deadlines.insert(), rows)


def close_for_tasks(
    conn: Connection, case_id: int, completed: str | None, cancelled: list[str], case_done: bool, at: datetime
) -> None:
    """Completed task → its deadlines met (a fired one stays fired); cancelled → cancelled."""
    conds = []
    if completed:
        conds.append(deadlines.c.task_id == completed)
    if cancelled:
        conds.append(deadlines.c.task_id.in_(cancelled))
    if case_done:
        conds.append(deadlines.c.case_id == case_id)
    if not conds:
        return
    status = when(
        (deadlines.c.status == "fired", "fired"),
        (deadlines.c.task_id.in_(cancelled or ["-"]), "cancelled"),
        else_="met",
    )
    conn.execute(
        update(deadlines)
        .where(
            deadlines.c.case_id == case_id,
            deadlines.c.kind != "timer",
            deadlines.c.closed_at.is_(None),
            or_(*conds),
        )
        .values(status=status, closed_at=at, updated_at=at)
    )


def for_case(conn: Connection, case_id: int) -> list:
    return list(
        conn.execute(
            select(deadlines)
            .where(deadlines.c.case_id == case_id)
            .order_by(deadlines.c.due_at, deadlines.c.id)
        )
    )


def pause_case(conn: Connection, case_id: int, at: datetime, keep_running: list[str] | tuple = ()) -> int:
    """Pause the case's open deadlines, except those of the rules ``keep_running`` (not pausable)."""
    conds = [deadlines.c.case_id == case_id, deadlines.c.status.in_(OPEN)]
    if keep_running:
        conds.append(or_(deadlines.c.rule_key.is_(None), deadlines.c.rule_key.not_in(list(keep_running))))
    return conn.execute(
        update(deadlines)
        .where(*conds)
        .values(paused_from=deadlines.c.status, status="paused", paused_at=at, updated_at=at)
    ).rowcount


def resume_case(conn: Connection, case_id: int, delta_seconds: int, at: datetime) -> int:
    """Paused rows get their time back: due and warn move by the pause (computed here, portable)."""
    shift = timedelta(seconds=delta_seconds)
    paused = list(
        conn.execute(
            select(
                deadlines.c.id,
                deadlines.c.due_at,
                deadlines.c.warn_at,
                deadlines.c.paused_from,
                deadlines.c.paused_seconds,
            ).where(deadlines.c.case_id == case_id, deadlines.c.status == "paused")
        )
    )
    if paused:
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id == bindparam("did"))
            .values(
                status=bindparam("st"),
                paused_from=None,
                paused_at=None,
                due_at=bindparam("due"),
                warn_at=bindparam("warn"),
                paused_seconds=bindparam("ps"),
                updated_at=at,
            ),
            [
                {
                    "did": r.id,
                    "st": r.paused_from or "pending",
                    "due": r.due_at + shift,
                    "warn": r.warn_at + shift if r.warn_at else None,
                    "ps": r.paused_seconds + delta_seconds,
                }
                for r in paused
            ],
        )
    return len(paused)


def get(conn: Connection, deadline_id: int):
    return conn.execute(select(deadlines).where(deadlines.c.id == deadline_id).with_for_update()).first()


def extend(
    conn: Connection,
    row,
    new_due: datetime,
    new_warn: datetime | None,
    *,
    amount: int,
    clock: str,
    reason: str,
    approved_by: str,
    at: datetime,
    calendar_confirmed: bool = True,
    kind: str = "approval",
    requested_by: str | None = None,
    party_told_on=None,
) -> None:
    conn.execute(
        update(deadlines)
        .where(deadlines.c.id == row.id)
        .values(
            due_at=new_due,
            warn_at=new_warn,
            calendar_confirmed=calendar_confirmed,
            updated_at=at,
            status="pending" if row.status in ("warned", "fired") and new_due > at else row.status,
        )
    )
    conn.execute(
        deadline_extensions.insert().values(
            deadline_id=row.id,
            amount=amount,
            clock=clock,
            old_due_at=row.due_at,
            new_due_at=new_due,
            reason=reason,
            approved_by=approved_by,
            at=at,
            kind=kind,
            requested_by=requested_by,
            party_told_on=party_told_on,
        )
    )


def extensions_of(conn: Connection, deadline_ids: list[int]) -> dict[int, list]:
    """{deadline id: its extensions in order} for several deadlines in one statement."""
    out: dict[int, list] = {i: [] for i in deadline_ids}
    if deadline_ids:
        for r in conn.execute(select(deadline_extensions)
                              .where(deadline_extensions.c.deadline_id.in_(deadline_ids))
                              .order_by(deadline_extensions.c.id)):
            out[r.deadline_id].append(r)
    return out


def extensions(conn: Connection, deadline_id: int) -> list:
    return list(
        conn.execute(
            select(deadline_extensions)
            .where(deadline_extensions.c.deadline_id == deadline_id)
            .order_by(deadline_extensions.c.id)
        )
    )


_DUE = and_(
    deadlines.c.status.in_(OPEN),
    or_(
        deadlines.c.due_at <= bindparam("now"),
        and_(deadlines.c.status == "pending", deadlines.c.warn_at <= bindparam("now")),
    ),
    or_(deadlines.c.claimed_until.is_(None), deadlines.c.claimed_until < bindparam("now")),
)


def claim_due(conn: Connection, now: datetime, lease_until: datetime, limit: int = 500) -> list:
    """Claim due (or warn-due) rows for the dispatcher; concurrent dispatchers skip each other's rows."""
    q = (
        select(
            deadlines.c.id,
            deadlines.c.case_id,
            deadlines.c.kind,
            deadlines.c.status,
            deadlines.c.due_at,
            deadlines.c.warn_at,
        )
        .where(_DUE)
        .order_by(deadlines.c.due_at)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    rows = list(conn.execute(q, {"now": now}))
    if rows:
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id.in_([r.id for r in rows]))
            .values(claimed_until=lease_until, attempts=deadlines.c.attempts + 1)
        )
    return rows


def set_recomputed(conn: Connection, changes: list[dict], at: datetime) -> None:
    """Recomputed rows: {"did", "due", "warn", "st", "confirmed"} each (a calendar entered, a date changed)."""
    if changes:
        conn.execute(
            update(deadlines)
            .where(deadlines.c.id == bindparam("did"))
            .values(due_at=bindparam("due"), warn_at=bindparam("warn"), status=bindparam("st"),
                    calendar_confirmed=bindparam("confirmed"), updated_at=at),
            changes,
        )
