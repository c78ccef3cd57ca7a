"""Recompute deadline rows from what they count from: after the calendar of a year is entered (or a day
changed), and for anyone else whose inputs changed (e.g. a case date).

A row's due time is ``due_time(starts_at, amount, clock)``, plus the time its case was paused
(``paused_seconds``), plus each of its extensions re-applied in order (counted by
``engine.deadlines.clocks.due_of``, as a case date's change is); ``warn_at`` moves by the same
delta and the task's due time follows. Each change is a ``deadline_recomputed`` case event in the caller's
transaction. Rows without ``amount`` (created before limits were stored) cannot be recounted: they keep
their due time and are marked ``calendar_confirmed = false``.
"""

from datetime import datetime

from sqlalchemy import Connection

from engine.core.events import event
from engine.deadlines.clocks import due_of
from engine.store import deadlines as store
from engine.store import events as event_store
from engine.store import tasks as task_store


def recompute_deadlines(conn: Connection, rows: list, *, actor: str | None, reason: str, at: datetime) -> int:
    """Recount ``rows`` (deadline rows, open, not timers) with the process-wide calendar; returns how many
    changed. The caller refreshes the calendar first (``engine.deadlines.calendar.CALENDAR.refresh``)."""
    changes, events = [], []
    for r in rows:
        if r.amount is None:
            if r.calendar_confirmed:
                changes.append({"did": r.id, "due": r.due_at, "warn": r.warn_at, "st": r.status,
                                "confirmed": False})
            continue
        due, confirmed = due_of(conn, r)
        if due == r.due_at and confirmed == r.calendar_confirmed:
            continue
        delta = due - r.due_at
        status = "pending" if r.status in ("warned", "fired") and due > at else r.status
        if r.status == "warned" and r.warn_at is not None and r.warn_at + delta > at:
            status = "pending"
        changes.append({"did": r.id, "due": due, "warn": r.warn_at + delta if r.warn_at else None, "st": status,
                        "confirmed": confirmed})
        if r.task_id and due != r.due_at:
            task_store.move_due(conn, r.task_id, r.due_at, due)
        events.append(event(r.case_id, at, actor, "deadline_recomputed", task_id=r.task_id, deadline=r.id,
                            name=r.name, old_due=r.due_at.isoformat(), new_due=due.isoformat(), reason=reason,
                            calendar_confirmed=confirmed))
    store.set_recomputed(conn, changes, at)
    event_store.append(conn, events)
    return len(changes)
