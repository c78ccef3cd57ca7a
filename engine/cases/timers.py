"""BPMN timers as deadline rows: when a case's timer row is due, the case's timers fire through its workflow.

Each case has at most one timer row (``kind = 'timer'``), mirrored from its next BPMN timer by every
step (``engine.cases.step``). The dispatcher claims it when due like any deadline; the worker calls
``fire_timer``, which runs the case's step; the step moves or closes the row itself.
"""

from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.cases import service
from engine.core.errors import StepFailed
from engine.store import deadlines as store

TIMER_RETRY = timedelta(hours=1)  # a timer whose step fails (incident) is retried this often


def fire_timer(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """A due timer row: fire its case's due timers; False when it is no due timer of an active, unpaused case."""
    row = store.lock_timer(conn, deadline_id)
    if row is None or row.status != "pending" or row.due_at > now:
        return False
    if row.case_status == "suspended":  # 挂起 (异常 page): its clocks stand still until it is resumed
        return False
    if row.case_status != "active":  # the case ended without the mirror being closed: close it
        return store.set_state(
            conn,
            row.id,
            "pending",
            {"status": "cancelled", "closed_at": now, "claimed_until": None, "updated_at": now},
        )
    if row.case_paused_at is not None:
        return False
    try:
        service.fire_due_timers(conn, row.case_id)
    except StepFailed:  # the incident is recorded; try again in an hour, not every lease
        store.set_state(conn, row.id, "pending", {"claimed_until": now + TIMER_RETRY, "updated_at": now})
        return False
    return True
