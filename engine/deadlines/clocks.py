"""Clocks counted from case dates: recompute the open deadlines that run from a date, a task's earliest
clock, and how late an overdue clock is.

A deadline's due time is always ``due_time(starts_at, amount, clock)`` + the time it stood paused + each
approved extension re-applied in order (``due_of``, the one place it is counted); a change of the date it starts
from runs it again, and so does the calendar's recompute (engine.deadlines.recompute).
"""

import math
from datetime import date, datetime, timedelta

from sqlalchemy import Connection

from engine.core.calendar import local_day
from engine.core.events import event
from engine.deadlines.rules import calendar_confirmed, day_start, due_time, rule_by_key, warn_time
from engine.store import case_clocks as date_store
from engine.store import deadlines as store


def due_of(conn: Connection, row, start: datetime | None = None) -> tuple[datetime, bool] | None:
    """The due time of deadline ``row`` counted from ``start`` (default: its ``starts_at``), and whether the
    official calendar of every year counted over is entered (``calendar_confirmed``); None without a limit.

    The only place a deadline's due time is counted again: the limit (``amount``, else its rule's), plus the
    time it stood paused, plus each of its extensions re-applied in order. Used by a case date's change
    (``recompute_from_dates``) and by the calendar's recompute (``engine.deadlines.recompute``)."""
    amount = row.amount
    if amount is None:
        rule = rule_by_key(conn, row.rule_key)
        amount = rule.duration if rule is not None else None
    if amount is None:
        return None
    start = row.starts_at if start is None else start
    due = due_time(start, amount, row.clock) + timedelta(seconds=row.paused_seconds or 0)
    confirmed = calendar_confirmed(start, due, row.clock)
    for ext in store.extensions(conn, row.id):
        before, due = due, due_time(due, ext.amount, ext.clock)
        confirmed = confirmed and calendar_confirmed(before, due, ext.clock)
    return due, confirmed


def recompute_from_dates(conn: Connection, case_id: int, dates: dict[str, date], names: set[str],
                         actor: str | None, at: datetime) -> list[dict]:
    """The case's open deadlines that start from one of ``names``: counted again from the date in ``dates``.

    Returns one ``deadline_recomputed`` timeline event per deadline whose due time changed (not written).
    """
    events = []
    for row in date_store.open_clocks(conn, case_id):
        if row.starts_from not in names or dates.get(row.starts_from) is None:
            continue
        start = day_start(dates[row.starts_from])
        counted = due_of(conn, row, start)
        if counted is None or (counted[0] == row.due_at and start == row.starts_at):
            continue
        due, confirmed = counted
        rule = rule_by_key(conn, row.rule_key)
        if rule is not None:
            warn = warn_time(start, due - timedelta(seconds=row.paused_seconds or 0), rule) \
                + timedelta(seconds=row.paused_seconds or 0)
        else:
            warn = due - (row.due_at - row.warn_at) if row.warn_at is not None else None
        values = {"starts_at": start, "due_at": due, "warn_at": warn, "updated_at": at, "claimed_until": None,
                  "calendar_confirmed": confirmed}
        if row.status in ("warned", "fired") and due > at:  # counted later than before: not late any more
            values.update(status="pending", escalation_level=0, next_escalation_at=None)
        date_store.move(conn, row.id, values)
        events.append(event(case_id, at, actor, "deadline_recomputed", row.task_id, deadline=row.id, name=row.name,
                            starts_from=row.starts_from, old_due=row.due_at.isoformat(), new_due=due.isoformat()))
    return events


def earliest(task_id: str, processes: tuple[str, ...], timer_due: datetime | None, clocks: list) -> datetime | None:
    """A task's due time: the earliest of its BPMN timer, its own open rule deadlines and the open case
    clocks of the processes it runs in (``processes``; ``clocks``: open deadline rows or dicts)."""
    dues = [timer_due] if timer_due is not None else []
    for d in clocks:
        get = d.get if isinstance(d, dict) else lambda k, _d=d: getattr(_d, k)
        if get("task_id") == task_id or (get("scope") == "case" and get("process_key") in processes):
            dues.append(get("due_at"))
    return min(dues) if dues else None


def overdue_by(due: datetime | None, clock: str | None, now: datetime) -> dict | None:
    """How late a clock is: {"days": n} for day clocks (Shanghai calendar days past the due day), {"hours": n}
    (hours started) for hour clocks; None when it is not overdue."""
    if due is None or due >= now:
        return None
    if clock == "hours":
        return {"hours": max(1, math.ceil((now - due).total_seconds() / 3600))}
    return {"days": max(1, (local_day(now) - local_day(due)).days)}
