"""A case's clocks: pause while it waits on a party, resume, extend a deadline with approval.

``case_clocks``, ``pause_clocks``, ``resume_clocks`` and ``approve_extension`` are for a user: within their
communities (outside them a case is "not found"); pausing and resuming for caseworkers and supervisors.
"""

from datetime import datetime

from sqlalchemy import Connection

from engine.cases import step as steps
from engine.cases.access import check_visible
from engine.core.clock import now
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.events import event
from engine.core.types import CASEWORKER_ROLES, Case, User
from engine.deadlines import rules as deadlines
from engine.deadlines.calendar import CALENDAR
from engine.spiff.runtime import Run
from engine.store import cases as case_store
from engine.store import deadlines as store
from engine.store import events as event_store
from engine.store import tasks as task_store

PAUSE_ROLES = (*CASEWORKER_ROLES, "supervisor")


def pause_case(conn: Connection, case_id: int, actor: str | None, reason: str) -> int:
    """Stop the case's clocks (e.g. waiting for the respondent); returns the deadlines paused."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required to pause a case", {"reason": "required"})
    row, _ = steps.load(conn, case_id)
    if row.paused_at is not None:
        raise Conflict(f"case {row.case_number} is already paused")
    at = now()
    case_store.set_paused(conn, row.id, at)
    paused = store.pause_case(conn, row.id, at)
    event_store.append(
        conn, [event(row.id, at, actor, "case_paused", reason=reason.strip(), deadlines=paused)]
    )
    return paused


def resume(conn: Connection, row, run: Run, actor: str | None, at: datetime) -> list[dict]:
    """Give the paused time back to every clock of a loaded, paused case; returns its event."""
    delta = at - row.paused_at
    run.shift_timers(delta)
    seconds = int(delta.total_seconds())
    store.resume_case(conn, row.id, seconds, at)
    task_store.set_due(
        conn, [(t.id, t.due_at + delta) for t in task_store.open_for_case(conn, row.id) if t.due_at]
    )
    case_store.set_paused(conn, row.id, None)
    return [event(row.id, at, actor, "case_resumed", paused_seconds=seconds)]


def resume_case(conn: Connection, case_id: int, actor: str | None) -> Case:
    row, run = steps.load(conn, case_id)
    if row.paused_at is None:
        raise Conflict(f"case {row.case_number} is not paused")
    at = now()
    before = {t.id: t for t in run.ready_user_tasks()}
    events = resume(conn, row, run, actor, at)
    return steps.write(conn, row, run, before, actor, at, events, timers_moved=True)


def extend_deadline(
    conn: Connection, deadline_id: int, amount: int, clock: str, reason: str, approved_by: str
) -> dict:
    """Extend a deadline (延期) by ``amount`` in ``clock`` units, recording who approved it and why."""
    if clock not in deadlines.CLOCKS:
        raise InvalidData(f"clock must be one of {', '.join(deadlines.CLOCKS)}", {"clock": "unknown"})
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= 366:
        raise InvalidData("amount must be a whole number from 1 to 366", {"amount": "out of range"})
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required for an extension", {"reason": "required"})
    row = store.get(conn, deadline_id)
    if row is None:
        raise NotFound(f"deadline {deadline_id} not found")
    if row.closed_at is not None or row.status in ("met", "cancelled") or row.kind == "timer":
        raise Conflict(f"deadline {deadline_id} cannot be extended ({row.kind}, {row.status})")
    at = now()
    CALENDAR.get(conn)
    new_due = deadlines.due_time(row.due_at, amount, clock)
    confirmed = row.calendar_confirmed and deadlines.calendar_confirmed(row.due_at, new_due, clock)
    new_warn = new_due - (row.due_at - row.warn_at) if row.warn_at is not None else None
    store.extend(
        conn,
        row,
        new_due,
        new_warn,
        amount=amount,
        clock=clock,
        reason=reason.strip(),
        approved_by=approved_by,
        at=at,
        calendar_confirmed=confirmed,
    )
    if row.task_id:  # the task's due time follows the deadline that set it
        task_store.move_due(conn, row.task_id, row.due_at, new_due)
    event_store.append(
        conn,
        [
            event(
                row.case_id,
                at,
                approved_by,
                "deadline_extended",
                deadline=row.id,
                name=row.name,
                amount=amount,
                clock=clock,
                reason=reason.strip(),
                old_due=row.due_at.isoformat(),
                new_due=new_due.isoformat(),
            )
        ],
    )
    return {"id": row.id, "old_due_at": row.due_at, "new_due_at": new_due}


def _check_may_pause(user: User) -> None:
    if user.role not in PAUSE_ROLES:
        raise Forbidden(f"role '{user.role}' may not pause or resume a case")


def pause_clocks(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    """``pause_case`` by ``user``: {"case_id", "paused_deadlines"}."""
    _check_may_pause(user)
    check_visible(conn, user, case_id)
    return {"case_id": case_id, "paused_deadlines": pause_case(conn, case_id, user.username, reason)}


def resume_clocks(conn: Connection, user: User, case_id: int) -> dict:
    """``resume_case`` by ``user``: {"case_id", "resumed"}."""
    _check_may_pause(user)
    check_visible(conn, user, case_id)
    resume_case(conn, case_id, user.username)
    return {"case_id": case_id, "resumed": True}


def approve_extension(
    conn: Connection, user: User, deadline_id: int, amount: int, clock: str, reason: str
) -> dict:
    """``extend_deadline`` approved by ``user``, for a deadline of a case they see."""
    row = store.get(conn, deadline_id)
    if row is None:
        raise NotFound(f"deadline {deadline_id} not found")
    check_visible(conn, user, row.case_id)
    return extend_deadline(conn, deadline_id, amount, clock, reason, approved_by=user.username)


def case_clocks(conn: Connection, user: User, case_id: int) -> list:
    """The case's deadline rows (its timer included), by due time."""
    check_visible(conn, user, case_id)
    return store.for_case(conn, case_id)
